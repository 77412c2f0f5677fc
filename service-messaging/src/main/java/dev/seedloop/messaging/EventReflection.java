package dev.seedloop.messaging;

import dev.seedloop.events.Budget;
import dev.seedloop.events.ChampionChanged;
import dev.seedloop.events.Direction;
import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.ExperimentFailed;
import dev.seedloop.events.ExperimentLimits;
import dev.seedloop.events.ExperimentSpec;
import dev.seedloop.events.ExperimentStarted;
import dev.seedloop.events.FailureReason;
import dev.seedloop.events.FilePatch;
import dev.seedloop.events.MetricSummary;
import dev.seedloop.events.Nullable;
import dev.seedloop.events.Objective;
import dev.seedloop.events.Observation;
import dev.seedloop.events.Parameter;
import dev.seedloop.events.ParameterKind;
import dev.seedloop.events.PromotionApproved;
import dev.seedloop.events.PromotionPolicy;
import dev.seedloop.events.PromotionRejected;
import dev.seedloop.events.PromotionRequested;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.ProposalRejected;
import dev.seedloop.events.RepeatResult;
import dev.seedloop.events.ResourceUsage;
import dev.seedloop.events.SearchSpace;
import dev.seedloop.events.StrategyUpdated;
import dev.seedloop.events.StudyCompleted;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.StudyOrigin;
import dev.seedloop.events.StudyHalted;
import dev.seedloop.events.StudyPaused;
import dev.seedloop.events.StudyResumed;
import dev.seedloop.events.TeamQuotaSet;
import dev.seedloop.events.ValidationResult;
import dev.seedloop.events.ValidationSpec;
import dev.seedloop.events.Verdict;
import dev.seedloop.events.WorkspaceRef;
import dev.seedloop.events.ModelBudget;
import dev.seedloop.events.ModelCallCompleted;
import dev.seedloop.queries.PostmortemView;
import dev.seedloop.queries.Query;
import dev.seedloop.queries.QueryReply;
import dev.seedloop.queries.Views;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The event codec reads and writes the contract's records reflectively (Jackson, and the
 * {@link Nullable} annotation on record components): a native image must keep them. Every service
 * depends on this module, so listing them once here covers all five. Add new contract types here,
 * including the query records and views the gateway and learner exchange.
 */
@RegisterForReflection(targets = {
    StudyCreated.class, StudyPaused.class, StudyResumed.class, StudyHalted.class, StudyCompleted.class,
    ProposalCreated.class, ProposalRejected.class, ExperimentStarted.class, ExperimentCompleted.class,
    ExperimentFailed.class, EvaluationCompleted.class, ChampionChanged.class, StrategyUpdated.class,
    Objective.class, Direction.class, SearchSpace.class, Parameter.class, ParameterKind.class, Budget.class,
    WorkspaceRef.class, ExperimentSpec.class, ExperimentLimits.class, ValidationSpec.class, ValidationResult.class,
    RepeatResult.class, ResourceUsage.class, FailureReason.class, Verdict.class, MetricSummary.class,
    Observation.class, FilePatch.class, Nullable.class, PromotionRequested.class, PromotionApproved.class,
    PromotionRejected.class, PromotionPolicy.class, TeamQuotaSet.class, ModelCallCompleted.class, ModelBudget.class,
    Query.class, Query.GetStudy.class, Query.ListStudies.class, Query.GetEvents.class, Query.GetLineage.class,
    Query.GetExperimentLog.class, Query.GetTeamUsage.class, Query.GetStateAt.class, Query.GetPostmortem.class, Query.StudyExists.class,
    Query.GetForkOrigin.class, Query.AdmitStudy.class, Query.Ping.class, StudyOrigin.class, StudyOrigin.Proposal.class,
    dev.seedloop.queries.StateAtView.class, dev.seedloop.queries.PostmortemView.class, QueryReply.class, QueryReply.Outcome.class,
    Views.StudyView.class, Views.BudgetView.class, Views.ChampionView.class, Views.EvidenceView.class,
    Views.CandidateView.class, Views.ControlView.class, Views.StudySummaryView.class, Views.StudyPage.class,
    Views.StoredEventView.class, Views.EventPage.class, Views.LineageView.class, Views.ChampionStepView.class,
    Views.LineageNodeView.class, Views.ExperimentLogView.class, Views.TeamUsageView.class,
    Views.ExistsView.class, Views.OriginView.class, Views.AdmissionView.class, Views.PongView.class,
    Views.ModelSpendView.class, Query.GetStudyCharts.class, Views.StudyChartsView.class, Views.ChartPointView.class,
    Views.ChampionPointView.class, Views.ParameterAxisView.class,
    PostmortemView.Study.class, PostmortemView.Totals.class, PostmortemView.Compute.class,
    PostmortemView.TimelineEntry.class, PostmortemView.Promotion.class, PostmortemView.Yield.class,
    PostmortemView.Failures.class, PostmortemView.ReasonCount.class, PostmortemView.FailureGroup.class,
    PostmortemView.Suspect.class, PostmortemView.StageQueue.class, PostmortemView.Intervention.class })
public final class EventReflection {

    private EventReflection() {
    }
}
