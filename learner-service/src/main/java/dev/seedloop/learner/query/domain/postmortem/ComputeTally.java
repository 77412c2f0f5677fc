package dev.seedloop.learner.query.domain.postmortem;

import dev.seedloop.events.ResourceUsage;
import dev.seedloop.queries.PostmortemView;

/** Resources added up over experiment outcomes: wall and CPU time summed, the largest resident set kept. */
public final class ComputeTally {

    private long wallMillis;
    private long cpuMillis;
    private long maxRssKiB;

    public void add(ResourceUsage usage) {
        wallMillis += usage.wallMillis();
        cpuMillis += usage.cpuMillis();
        maxRssKiB = Math.max(maxRssKiB, usage.maxRssKiB());
    }

    public void add(ComputeTally other) {
        wallMillis += other.wallMillis;
        cpuMillis += other.cpuMillis;
        maxRssKiB = Math.max(maxRssKiB, other.maxRssKiB);
    }

    public PostmortemView.Compute view() {
        return new PostmortemView.Compute(wallMillis, cpuMillis, maxRssKiB);
    }
}
