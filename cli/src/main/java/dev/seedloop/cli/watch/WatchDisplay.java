package dev.seedloop.cli.watch;

import java.io.PrintStream;

/**
 * Shows a study's progress line and notable moments. On a terminal the progress line updates in place
 * and notices (a new champion, a candidate to approve) print above it as lines of their own; in a log or
 * a pipe every change is a line, since carriage returns would garble it.
 */
public final class WatchDisplay {

    private final PrintStream out;
    private final boolean inPlace;
    private String shown = "";
    private boolean lineOpen;

    public WatchDisplay(PrintStream out, boolean inPlace) {
        this.out = out;
        this.inPlace = inPlace;
    }

    public void show(StudyProgress progress) {
        String line = progress.line();
        if (line.equals(shown)) {
            return;
        }
        shown = line;
        if (inPlace) {
            // Trailing spaces wipe what is left of a longer previous line.
            out.print("\r  " + line + "   ");
            lineOpen = true;
        } else {
            out.println("  " + line);
        }
        out.flush();
    }

    public void notice(String text) {
        if (lineOpen) {
            out.print("\r" + " ".repeat(shown.length() + 5) + "\r");
            lineOpen = false;
        }
        out.println("  " + text);
        if (inPlace && !shown.isEmpty()) {
            out.print("  " + shown + "   ");
            lineOpen = true;
        }
        out.flush();
    }

    /** Ends an in-place line so what follows starts on a line of its own. */
    public void finish() {
        if (lineOpen) {
            out.println();
            lineOpen = false;
        }
        out.flush();
    }
}
