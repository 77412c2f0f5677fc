package dev.seedloop.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class LlmOptionsTest {

    @Test
    void aStudyThatSetsNothingGetsTheDocumentedDefaults() {
        LlmOptions options = LlmOptions.defaults();
        assertThat(options.mode()).isEqualTo(LlmOptions.EVOLVE);
        assertThat(options.bestOfN()).isFalse();
        assertThat(options.templates()).containsExactly("default");
        assertThat(options.editableFiles()).isEmpty();
        assertThat(options.fullFileRewrites()).isFalse();
        assertThat(options.topK()).isEqualTo(3);
        assertThat(options.repairs()).isEqualTo(2);
        assertThat(options.notesEvery()).isEqualTo(5);
        assertThat(options.outputChars()).isEqualTo(2000);
        assertThat(options.noveltyThreshold()).isEqualTo(0.98);
    }

    @Test
    void templatesComeInlineOrFromAWorkspaceFile() {
        LlmOptions options = LlmOptions.parse(Map.of("templates", "default, terse ,careful",
                "template.terse", "Improve {{metric}}.", "template-file.careful", "prompts/careful.md",
                "editable", "src/heuristic.py,src/tuning.py", "mode", "best-of-n", "crossover-rate", "0.5"));
        assertThat(options.templates()).containsExactly("default", "terse", "careful");
        assertThat(options.inlineTemplates()).containsEntry("terse", "Improve {{metric}}.");
        assertThat(options.templateFiles()).containsEntry("careful", "prompts/careful.md");
        assertThat(options.editableFiles()).containsExactly("src/heuristic.py", "src/tuning.py");
        assertThat(options.bestOfN()).isTrue();
        assertThat(options.crossoverRate()).isEqualTo(0.5);
    }

    @Test
    void everyBadOptionIsNamedWithWhatItAccepts() {
        assertThatThrownBy(() -> LlmOptions.parse(Map.of("popuation", "3")))
                .hasMessageContaining("unknown llm strategy option(s) [popuation]").hasMessageContaining("top-k");
        assertThatThrownBy(() -> LlmOptions.parse(Map.of("mode", "anneal")))
                .hasMessageContaining("mode must be 'evolve' or 'best-of-n'");
        assertThatThrownBy(() -> LlmOptions.parse(Map.of("templates", "default,mine")))
                .hasMessageContaining("needs template.mine");
        assertThatThrownBy(() -> LlmOptions.parse(Map.of("template.spare", "text")))
                .hasMessageContaining("[spare] are defined but not listed");
        assertThatThrownBy(() -> LlmOptions.parse(Map.of("templates", "a", "template.a", "x",
                "template-file.a", "a.md"))).hasMessageContaining("both inline");
        assertThatThrownBy(() -> LlmOptions.parse(Map.of("top-k", "-1")))
                .hasMessageContaining("top-k must be an integer from 0 to 20 but was '-1'");
        assertThatThrownBy(() -> LlmOptions.parse(Map.of("temperature", "NaN")))
                .hasMessageContaining("temperature must be a number from 0.0 to 2.0");
        assertThatThrownBy(() -> LlmOptions.parse(Map.of("full-file-rewrites", "yes")))
                .hasMessageContaining("must be true or false");
        assertThatThrownBy(() -> LlmOptions.parse(Map.of("models", "small,,large")))
                .hasMessageContaining("empty name");
        assertThatThrownBy(() -> LlmOptions.parse(Map.of("editable", "../outside.py")))
                .hasMessageContaining("without '..'");
        assertThatThrownBy(() -> LlmOptions.parse(Map.of("templates", "p", "template-file.p", "/etc/passwd")))
                .hasMessageContaining("relative to the workspace");
    }

    @Test
    void aModelBudgetNamesAtLeastOneLimitAndOnlySaneOnes() {
        assertThat(new Budget(10, 60, 1, new ModelBudget(null, 5000L, null)).model().maxTokens()).isEqualTo(5000L);
        assertThatThrownBy(() -> new ModelBudget(null, null, null)).hasMessageContaining("at least one");
        assertThatThrownBy(() -> new ModelBudget(0L, null, null)).hasMessageContaining("maxCalls");
        assertThatThrownBy(() -> new ModelBudget(null, null, Double.POSITIVE_INFINITY))
                .hasMessageContaining("maxCostUsd");
        assertThat(new Budget(1, 1, 1).model()).isNull();
    }
}
