package dev.seedloop.queries;

/**
 * A study's postmortem, built by the learner from its stored events. Its components are defined with the
 * postmortem work (issue #5); until then it carries only the study id.
 */
public record PostmortemView(String studyId) {
}
