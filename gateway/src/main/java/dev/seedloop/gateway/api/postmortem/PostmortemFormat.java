package dev.seedloop.gateway.api.postmortem;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.seedloop.gateway.api.report.HtmlWriter;
import dev.seedloop.gateway.api.report.MarkdownWriter;
import dev.seedloop.gateway.domain.CodeLineage;
import dev.seedloop.gateway.domain.StudyComparison;
import dev.seedloop.queries.PostmortemView;

/**
 * The representations of a postmortem and how a request's {@code Accept} picks one (RFC 9110 §12.5.1): the
 * media type with the highest quality wins, each type taking the quality of the most specific range that
 * matches it; ties (and no {@code Accept} at all) go in declaration order, so JSON is the default.
 */
public enum PostmortemFormat {
    JSON("application", "json"),
    MARKDOWN("text", "markdown"),
    HTML("text", "html");

    public static final String MARKDOWN_TYPE = "text/markdown";

    private final String type;
    private final String subtype;

    PostmortemFormat(String type, String subtype) {
        this.type = type;
        this.subtype = subtype;
    }

    public String mediaType() {
        return type + "/" + subtype;
    }

    /** The document for the text formats. JSON is the view itself, written by the REST layer. */
    public String render(PostmortemView view) {
        return render(view, null);
    }

    /** The document for the text formats, with an llm study's code lineage ({@code code}; null for none). */
    public String render(PostmortemView view, CodeLineage.View code) {
        return render(view, code, null);
    }

    /** The document for the text formats, with the code lineage and the study against its baseline (null: none). */
    public String render(PostmortemView view, CodeLineage.View code, StudyComparison.Result baseline) {
        return switch (this) {
            case JSON -> throw new IllegalStateException("JSON is the view itself");
            case MARKDOWN -> MarkdownWriter.write(PostmortemReport.of(view, code, baseline));
            case HTML -> HtmlWriter.write(PostmortemReport.of(view, code, baseline));
        };
    }

    /**
     * @param accept the request's {@code Accept} header values (several headers count as one list); empty or
     *               blank means anything
     * @return empty when none of the formats is acceptable
     */
    public static Optional<PostmortemFormat> negotiate(List<String> accept) {
        List<Range> ranges = accept == null ? List.of() : accept.stream()
                .filter(value -> value != null && !value.isBlank())
                .flatMap(value -> List.of(value.split(",")).stream())
                .map(Range::parse)
                .flatMap(Optional::stream)
                .toList();
        if (ranges.isEmpty()) {
            return Optional.of(JSON);
        }
        PostmortemFormat best = null;
        double bestQuality = 0;
        for (PostmortemFormat format : values()) {
            double quality = format.quality(ranges);
            if (quality > bestQuality) {
                best = format;
                bestQuality = quality;
            }
        }
        return Optional.ofNullable(best);
    }

    private double quality(List<Range> ranges) {
        int specificity = -1;
        double quality = 0;
        for (Range range : ranges) {
            int s = range.specificity(type, subtype);
            if (s > specificity) {
                specificity = s;
                quality = range.quality();
            }
        }
        return quality;
    }

    /** One media range of an {@code Accept} header: {@code type/subtype;q=0.8}. */
    private record Range(String type, String subtype, double quality) {

        static Optional<Range> parse(String text) {
            String[] parts = text.split(";");
            String[] media = parts[0].strip().toLowerCase(Locale.ROOT).split("/");
            if (media.length != 2 || media[0].isBlank() || media[1].isBlank()) {
                return Optional.empty();
            }
            double q = 1;
            for (int i = 1; i < parts.length; i++) {
                String[] parameter = parts[i].strip().split("=", 2);
                if (parameter.length == 2 && parameter[0].strip().equalsIgnoreCase("q")) {
                    try {
                        q = Math.max(0, Math.min(1, Double.parseDouble(parameter[1].strip())));
                    } catch (NumberFormatException e) {
                        // A malformed weight makes the range worthless rather than the request an error.
                        q = 0;
                    }
                }
            }
            return Optional.of(new Range(media[0].strip(), media[1].strip(), q));
        }

        /** -1: no match; 0: *&#47;*; 1: type/*; 2: exact. */
        int specificity(String type, String subtype) {
            if (this.type.equals("*")) {
                return this.subtype.equals("*") ? 0 : -1;
            }
            if (!this.type.equals(type)) {
                return -1;
            }
            if (this.subtype.equals("*")) {
                return 1;
            }
            return this.subtype.equals(subtype) ? 2 : -1;
        }
    }
}
