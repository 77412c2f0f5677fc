package dev.seedloop.learner.query.domain;

import java.util.List;
import java.util.Locale;

import dev.seedloop.queries.Query;

/**
 * Replies must fit the reply topic, whose records Kafka refuses beyond the broker's {@code message.max.bytes} (1 MiB by
 * default): a refused reply is never seen, and its requester only times out. So a page of events is cut by bytes
 * as well as by count, and any other answer that would not fit is replaced by a {@code failed} reply that says how
 * large it was. The budget is counted on the reply as encoded (UTF-8 JSON, the whole {@code QueryReply}).
 */
public final class ReplySize {

    /** A stored event of a study: its sequence and the bytes of its envelope as stored. */
    public record StoredSize(long sequence, long envelopeBytes) {
    }

    /** How many of the candidate events go into the page, and whether more follow. */
    public record Cut(int count, boolean more) {
    }

    /** {@code {"sequence":,"event":}} around each event of a page. */
    private static final int ITEM_FRAME = "{\"sequence\":,\"event\":}".length();

    private ReplySize() {
    }

    /**
     * The page of {@code candidates} (in sequence order; one beyond {@code limit} says whether more exist) that fits
     * {@code budget} bytes, counting {@code emptyReplyBytes} for the reply around the items. Always at least one event
     * when there is one, even alone over the budget: an event that large is answered or refused by
     * {@link #tooLarge} when the reply is sent, and paging never stalls on it.
     */
    public static Cut page(List<StoredSize> candidates, int limit, int emptyReplyBytes, int budget) {
        long used = emptyReplyBytes;
        int count = 0;
        for (StoredSize candidate : candidates) {
            if (count == limit) {
                break;
            }
            long item = ITEM_FRAME + Long.toString(candidate.sequence()).length() + candidate.envelopeBytes()
                    + (count == 0 ? 0 : 1);
            if (count > 0 && used + item > budget) {
                break;
            }
            used += item;
            count++;
        }
        return new Cut(count, count < candidates.size());
    }

    /**
     * Whether a reply of {@code bytes} (and {@code compressedBytes} once gzipped, as the reply producer sends it)
     * fits: within the budget as it is, or compressed within the budget and as it is within the producer's
     * {@code max.request.size}.
     */
    public static boolean fits(long bytes, long compressedBytes, int budget, long maxRequestBytes) {
        return bytes <= budget || (compressedBytes <= budget && bytes <= maxRequestBytes);
    }

    /**
     * The {@code failed} reply's detail for an answer that does not fit, with what the asker can do about it
     * ({@code query} null: the request was not a query).
     */
    public static String tooLarge(Query query, long bytes, long compressedBytes, int budget) {
        String hint = query == null ? "" : switch (query) {
            case Query.GetLineage q -> "; ask for a smaller page (limit)";
            case Query.GetEvents q -> "; a single event is that large";
            case Query.GetStudyCharts q -> "; ask for fewer points";
            default -> "; the study is too large for this answer";
        };
        return String.format(Locale.ROOT, "the answer is %,d bytes (%,d compressed), more than the %,d bytes a reply"
                + " may carry%s", bytes, compressedBytes, budget, hint);
    }
}
