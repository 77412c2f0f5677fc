package dev.seedloop.gateway.api.report;

import java.util.List;

/**
 * Writes a {@link Report} as one self-contained HTML page: inline CSS, no scripts, no external assets, and
 * every piece of text HTML-escaped, because reports quote experiment logs and anyone's words. The page also
 * carries a Content-Security-Policy that forbids scripts, so a copy saved to disk stays inert.
 */
public final class HtmlWriter {

    /** Also sent as a header by the gateway. Styles only, inline only; nothing is loaded from anywhere. */
    public static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final String STYLE = """
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;margin:0;\
            background:#f6f8fa}
            main{max-width:1200px;margin:0 auto;padding:24px 32px;background:#fff}
            h1{font-size:24px;border-bottom:1px solid #d0d7de;padding-bottom:8px}
            h2{font-size:19px;margin-top:32px;border-bottom:1px solid #d8dee4;padding-bottom:4px}
            h3{font-size:15px;margin-top:20px}
            table{border-collapse:collapse;margin:8px 0;display:block;overflow-x:auto}
            th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
            th{background:#f6f8fa}
            tr:nth-child(even) td{background:#fbfcfd}
            code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
            code{background:#eff1f3;border-radius:4px;padding:1px 4px}
            pre{background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:8px 12px;overflow-x:auto;\
            white-space:pre-wrap;word-break:break-all}
            """;

    private HtmlWriter() {
    }

    public static String write(Report report) {
        StringBuilder out = new StringBuilder(8192);
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(escape(CONTENT_SECURITY_POLICY))
                .append("\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(escape(report.title())).append("</title>\n<style>\n").append(STYLE)
                .append("</style>\n</head>\n<body>\n<main>\n<h1>").append(escape(report.title())).append("</h1>\n");
        for (Report.Section section : report.sections()) {
            out.append("<section>\n<h2>").append(escape(section.title())).append("</h2>\n");
            section.blocks().forEach(block -> block(out, block));
            out.append("</section>\n");
        }
        return out.append("</main>\n</body>\n</html>\n").toString();
    }

    private static void block(StringBuilder out, Report.Block block) {
        switch (block) {
            case Report.Heading h -> out.append("<h3>").append(escape(h.text())).append("</h3>\n");
            case Report.Paragraph p -> out.append("<p>").append(spans(p.spans())).append("</p>\n");
            case Report.Preformatted p -> out.append("<pre>").append(escape(p.text().stripTrailing())).append("</pre>\n");
            case Report.Table t -> {
                out.append("<table>\n<thead><tr>");
                t.headers().forEach(h -> out.append("<th>").append(escape(h)).append("</th>"));
                out.append("</tr></thead>\n<tbody>\n");
                for (List<Report.Cell> row : t.rows()) {
                    out.append("<tr>");
                    row.forEach(cell -> out.append("<td>").append(spans(cell.spans())).append("</td>"));
                    out.append("</tr>\n");
                }
                out.append("</tbody>\n</table>\n");
            }
        }
    }

    private static String spans(List<Report.Span> spans) {
        StringBuilder out = new StringBuilder();
        for (Report.Span span : spans) {
            switch (span) {
                case Report.Text t -> out.append(escape(t.text()));
                case Report.Code c -> out.append("<code>").append(escape(c.text())).append("</code>");
                case Report.Strong s -> out.append("<strong>").append(escape(s.text())).append("</strong>");
            }
        }
        return out.toString();
    }

    /** Safe in text and in quoted attribute values. */
    static String escape(String raw) {
        if (raw == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(raw.length() + 16);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
