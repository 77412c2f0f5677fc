package dev.seedloop.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.seedloop.cli.client.CliException;
import dev.seedloop.cli.client.GatewayClient;
import dev.seedloop.cli.workspace.WorkspacePush;

/**
 * A study spec file made ready to send: each local directory it names ({@code workspace}, {@code
 * validation.heldOutData}) uploaded and replaced by its tree hash, as {@code seedloop study create -f} does. Public
 * so that the demo submits its example exactly the way a user does.
 */
public final class SpecUploads {

    private SpecUploads() {
    }

    /**
     * The spec's text with its local directories replaced by their tree hashes.
     *
     * @param progress one line per directory (uploaded or already there), kept off the command's own output
     * @throws CliException when the file cannot be read or an upload is refused
     */
    public static String withUploadedDirectories(GatewayClient gateway, Path specFile, PrintStream progress) {
        return withUploadedDirectories(gateway, SpecFile.read(specFile), progress);
    }

    static String withUploadedDirectories(GatewayClient gateway, SpecFile spec, PrintStream progress) {
        Map<String, String> trees = new LinkedHashMap<>();
        WorkspacePush push = new WorkspacePush(gateway);
        for (SpecFile.LocalDirectory local : spec.localDirectories()) {
            WorkspacePush.Pushed pushed = push.push(local.directory());
            trees.put(local.field(), pushed.tree());
            progress.println((pushed.uploaded() ? "Uploaded " : "Already uploaded: ") + local.field() + " "
                    + local.written() + " (" + local.directory() + ") as " + pushed.tree() + " (" + pushed.files()
                    + " files, " + pushed.bytes() + " bytes).");
        }
        return spec.withTrees(trees);
    }
}
