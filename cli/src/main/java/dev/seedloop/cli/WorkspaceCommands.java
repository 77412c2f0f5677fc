package dev.seedloop.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import dev.seedloop.artifacts.Tree;
import dev.seedloop.cli.client.CliException;
import dev.seedloop.cli.client.ExitCode;
import dev.seedloop.cli.client.GatewayClient;
import dev.seedloop.cli.client.GatewayRecords.ProposalTree;
import dev.seedloop.cli.client.Json;
import dev.seedloop.cli.workspace.WorkspaceCheckout;
import dev.seedloop.cli.workspace.WorkspacePush;
import dev.seedloop.queries.Views.StudyView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code seedloop workspace push} and {@code seedloop checkout}: code in and out of the gateway's artifact store. */
final class WorkspaceCommands {

    private static final String TREE_HASH = "sha256:[0-9a-f]{64}";

    private WorkspaceCommands() {
    }

    @Command(description = "Upload a directory as a workspace (a content-addressed tree) for study specs.")
    static final class Workspace {
    }

    @Command(description = {"Pack DIR (honouring its .seedloopignore; .git is never packed), upload it unless your "
            + "team has that tree already, and print its tree hash for a spec's `workspace:` or "
            + "`validation.heldOutData:`.",
            "With --json (or --output json): {\"tree\", \"files\", \"bytes\", \"uploaded\"} on one line."})
    static final class Push implements Callable<Integer> {

        private final Cli cli;

        @Parameters(paramLabel = "DIR", description = "The directory to upload.")
        Path directory;

        @Option(names = "--json", description = "Print the result as JSON (as --output json).")
        boolean json;

        Push(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            WorkspacePush.Pushed pushed = new WorkspacePush(cli.gateway()).push(directory);
            if (json || cli.json()) {
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("tree", pushed.tree());
                result.put("files", pushed.files());
                result.put("bytes", pushed.bytes());
                result.put("uploaded", pushed.uploaded());
                cli.out().println(Json.write(result));
            } else {
                cli.out().println(pushed.tree());
                cli.err().println((pushed.uploaded() ? "Uploaded " : "Already uploaded (nothing sent): ") + directory
                        + ", " + pushed.files() + " files, " + pushed.bytes() + " bytes.");
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "checkout", description = {"Write a tree into DIR, which must not exist or be empty: the "
            + "champion of STUDY (default), one of its proposals (--proposal P), or any tree of your team "
            + "(--tree sha256:...).",
            "The archive is checked whole (no absolute paths, `..`, links leaving the tree, devices, FIFOs or hard "
                    + "links, and it must hash to the tree asked for) before anything is written; then every file "
                    + "is created new, links as links. Exit 2 when DIR is not usable, 5 for an unknown study, "
                    + "proposal or tree, 8 when the gateway's archive is refused or breaks off (nothing written)."})
    static final class Checkout implements Callable<Integer> {

        private final Cli cli;

        @Option(names = "--tree", paramLabel = "HASH", description = "A tree hash (sha256:...) of your team.")
        String tree;

        @Option(names = "--champion", description = "The study's champion (the default).")
        boolean champion;

        @Option(names = "--proposal", paramLabel = "P", description = "The tree one of the study's proposals built.")
        String proposalId;

        /** STUDY DIR, or DIR alone with --tree: checked in {@link #call()} (picocli cannot tell them apart). */
        @Parameters(arity = "1..2", paramLabel = "[STUDY] DIR", hideParamSyntax = true, description = "The study (not with --tree) and the "
                + "directory to write.")
        List<String> arguments;

        Checkout(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            String studyId = arguments.size() == 2 ? arguments.get(0) : null;
            Path target = Path.of(arguments.getLast());
            if (tree != null && (studyId != null || champion || proposalId != null)) {
                throw new CliException(ExitCode.USAGE, "checkout takes --tree HASH DIR, or STUDY [--champion | "
                        + "--proposal P] DIR, not both");
            }
            if (tree == null && studyId == null) {
                throw new CliException(ExitCode.USAGE, "checkout needs STUDY DIR or --tree HASH DIR");
            }
            if (champion && proposalId != null) {
                throw new CliException(ExitCode.USAGE, "--champion and --proposal exclude each other");
            }
            // Before any call: a mistaken DIR should not cost a download.
            WorkspaceCheckout.requireUsableTarget(target);
            GatewayClient gateway = cli.gateway();
            String hash = tree != null ? checkedHash(tree) : treeOf(gateway, studyId, proposalId);
            Tree written = new WorkspaceCheckout(gateway).checkout(hash, target);
            if (cli.json()) {
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("tree", written.hash());
                result.put("files", written.entries().size());
                result.put("directory", target.toAbsolutePath().toString());
                cli.out().println(Json.write(result));
            } else {
                cli.out().println("Checked out " + written.hash() + " (" + written.entries().size() + " files) into "
                        + target + ".");
            }
            return ExitCode.OK;
        }

        private static String checkedHash(String tree) {
            if (!tree.matches(TREE_HASH)) {
                throw new CliException(ExitCode.USAGE, "Not a tree hash: " + tree + " (expected sha256: and 64 "
                        + "lower-case hex digits)");
            }
            return tree;
        }

        private static String treeOf(GatewayClient gateway, String studyId, String chosenProposal) {
            String proposalId = chosenProposal;
            if (proposalId == null) {
                StudyView view = gateway.study(studyId).value();
                UUID champion = view.champion() == null ? null : view.champion().proposalId();
                if (champion == null) {
                    throw new CliException(ExitCode.NOT_FOUND, "Study " + studyId + " has no champion yet; "
                            + "check out one of its proposals with --proposal P");
                }
                proposalId = champion.toString();
            }
            ProposalTree built = gateway.proposalTree(studyId, proposalId).value();
            if (built.tree() == null) {
                throw new CliException(ExitCode.NOT_FOUND, "Proposal " + proposalId + " of study " + studyId
                        + " has no built tree yet (its experiment has not run or failed before building it)"
                        + (built.parentTree() == null ? "" : "; its parent tree is " + built.parentTree()));
            }
            return checkedHash(built.tree());
        }
    }
}
