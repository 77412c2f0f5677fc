package dev.seedloop.gateway.api.postmortem;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class PostmortemFormatTest {

    private static Optional<PostmortemFormat> negotiate(String... accept) {
        return PostmortemFormat.negotiate(Arrays.asList(accept));
    }

    @Test
    void jsonUnlessAskedOtherwise() {
        assertThat(PostmortemFormat.negotiate(null)).contains(PostmortemFormat.JSON);
        assertThat(PostmortemFormat.negotiate(List.of())).contains(PostmortemFormat.JSON);
        assertThat(negotiate("")).contains(PostmortemFormat.JSON);
        assertThat(negotiate("*/*")).contains(PostmortemFormat.JSON);
        assertThat(negotiate("application/json")).contains(PostmortemFormat.JSON);
    }

    @Test
    void eachFormatByItsType() {
        assertThat(negotiate("text/markdown")).contains(PostmortemFormat.MARKDOWN);
        assertThat(negotiate("TEXT/HTML; charset=utf-8")).contains(PostmortemFormat.HTML);
        assertThat(negotiate("text/*")).contains(PostmortemFormat.MARKDOWN);
    }

    @Test
    void aBrowserGetsThePage() {
        assertThat(negotiate("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"))
                .contains(PostmortemFormat.HTML);
    }

    @Test
    void qualitiesAndSeveralHeadersCount() {
        assertThat(negotiate("application/json;q=0.5, text/markdown")).contains(PostmortemFormat.MARKDOWN);
        assertThat(negotiate("text/html;q=0.2", "text/markdown;q=0.3")).contains(PostmortemFormat.MARKDOWN);
        // The most specific range decides a type's quality: */* does not revive an excluded JSON.
        assertThat(negotiate("application/json;q=0, */*")).contains(PostmortemFormat.MARKDOWN);
        assertThat(negotiate("text/markdown;q=nonsense, text/html;q=0.1")).contains(PostmortemFormat.HTML);
    }

    @Test
    void nothingAcceptableIsEmpty() {
        assertThat(negotiate("application/xml")).isEmpty();
        assertThat(negotiate("*/*;q=0")).isEmpty();
        assertThat(negotiate("garbage")).contains(PostmortemFormat.JSON);
    }
}
