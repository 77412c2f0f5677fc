package dev.seedloop.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Which failures wait for their dependency and which are the record's own. */
class FailureKindTest {

    /** Shaped like Vert.x's PgException, which this module does not depend on: read through getSqlState(). */
    public static final class ReactiveSqlFailure extends RuntimeException {
        private final String state;

        ReactiveSqlFailure(String state) {
            super("sql state " + state);
            this.state = state;
        }

        public String getSqlState() {
            return state;
        }
    }

    @Test
    void aDatabaseThatIsAwayOrRefusesTheRoleIsTransient() {
        for (String state : new String[] {"08006", "28000", "28P01", "40001", "40P01", "53300", "55P03", "57P01",
                "58030"}) {
            assertThat(FailureKind.of(new ReactiveSqlFailure(state))).as(state).isEqualTo(FailureKind.TRANSIENT);
            assertThat(FailureKind.of(new SQLException("jdbc", state))).as(state).isEqualTo(FailureKind.TRANSIENT);
        }
    }

    @Test
    void aStatementTheDatabaseRefusesIsTheRecordsOwn() {
        for (String state : new String[] {"23505", "22P02", "42601", "P0001", "", "0800"}) {
            assertThat(FailureKind.of(new ReactiveSqlFailure(state))).as(state).isEqualTo(FailureKind.DETERMINISTIC);
        }
        assertThat(FailureKind.of(new ReactiveSqlFailure(null))).isEqualTo(FailureKind.DETERMINISTIC);
    }

    @Test
    void theCauseChainIsReadAndExtraTypesCount() {
        RuntimeException wrapped = new IllegalStateException("handler", new RuntimeException(new ConnectException()));
        assertThat(FailureKind.of(wrapped)).isEqualTo(FailureKind.TRANSIENT);
        assertThat(FailureKind.of(new org.apache.kafka.common.errors.NotEnoughReplicasException("isr")))
                .isEqualTo(FailureKind.TRANSIENT);
        assertThat(FailureKind.of(new UnknownStudyException("s"))).isEqualTo(FailureKind.DETERMINISTIC);
        assertThat(FailureKind.of(new IllegalStateException("bug"), Set.of(IllegalStateException.class.getName())))
                .isEqualTo(FailureKind.TRANSIENT);
    }

    @Test
    void aCycleInTheCausesEnds() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertThat(FailureKind.of(a)).isEqualTo(FailureKind.DETERMINISTIC);
    }
}
