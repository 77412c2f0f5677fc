package dev.seedloop.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class SeedloopIgnoreTest {

    private final SeedloopIgnore ignore = SeedloopIgnore.parse(List.of(
            "# build output",
            "",
            "target/",
            "*.pyc   ",
            "/local.env",
            "docs/out",
            "**/cache",
            "logs/**",
            "*.log",
            "!keep.log",
            "a/**/z"));

    @Test
    void commentsAndBlankLinesAreNotRules() {
        assertThat(ignore.ignores("# build output", false)).isFalse();
    }

    @Test
    void aTrailingSlashMatchesDirectoriesOnlyAtAnyDepth() {
        assertThat(ignore.ignores("target", true)).isTrue();
        assertThat(ignore.ignores("sub/target", true)).isTrue();
        assertThat(ignore.ignores("target", false)).isFalse();
    }

    @Test
    void globsMatchNamesAtAnyDepthButNeverAcrossSlashes() {
        assertThat(ignore.ignores("x.pyc", false)).isTrue();
        assertThat(ignore.ignores("a/b/x.pyc", false)).isTrue();
        assertThat(ignore.ignores("x.pyc.txt", false)).isFalse();
    }

    @Test
    void aLeadingOrInnerSlashAnchorsAtTheRoot() {
        assertThat(ignore.ignores("local.env", false)).isTrue();
        assertThat(ignore.ignores("sub/local.env", false)).isFalse();
        assertThat(ignore.ignores("docs/out", true)).isTrue();
        assertThat(ignore.ignores("x/docs/out", true)).isFalse();
    }

    @Test
    void doubleStarsSpanDirectories() {
        assertThat(ignore.ignores("cache", true)).isTrue();
        assertThat(ignore.ignores("deep/er/cache", true)).isTrue();
        assertThat(ignore.ignores("logs/a/b.txt", false)).isTrue();
        assertThat(ignore.ignores("a/z", false)).isTrue();
        assertThat(ignore.ignores("a/b/c/z", false)).isTrue();
        assertThat(ignore.ignores("b/a/z", false)).isFalse();
    }

    @Test
    void aNegationReIncludesAndTheLastMatchWins() {
        assertThat(ignore.ignores("run.log", false)).isTrue();
        assertThat(ignore.ignores("keep.log", false)).isFalse();
        assertThat(ignore.ignores("sub/keep.log", false)).isFalse();
    }

    @Test
    void gitDirectoriesAreAlwaysIgnored() {
        assertThat(SeedloopIgnore.none().ignores(".git", true)).isTrue();
        assertThat(SeedloopIgnore.none().ignores("vendor/x/.git", true)).isTrue();
        assertThat(SeedloopIgnore.none().ignores(".gitignore", false)).isFalse();
    }
}
