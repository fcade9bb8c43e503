package io.webpipe.job.pages;

import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;
import org.apache.datasketches.memory.Memory;

/**
 * Distinct visitors as the image of a HyperLogLog sketch (Apache DataSketches, {@code lgK = 12}, HLL_4), the form the
 * page windows keep and report and the page totals keep: at most about 2.6 KB however many visitors, a few bytes a
 * visitor while they are few (the sketch keeps their hashes until then, so small counts come out exact), and the
 * union of two sketches estimates the union of their visitors, so a window can report its whole sketch at every
 * firing. Relative standard error 1.6 % once large: 95 % of estimates within ±3.3 %. Images are never changed in place:
 * each change returns a new one, so a summary handed downstream keeps what it was given. Null is the empty sketch.
 */
public final class VisitorSketch {
    static final int LG_K = 12;
    private static final TgtHllType TYPE = TgtHllType.HLL_4;

    private VisitorSketch() {}

    /** The image of {@code image} with {@code visitorId} added. */
    public static byte[] add(byte[] image, String visitorId) {
        HllSketch sketch = image == null ? new HllSketch(LG_K, TYPE) : HllSketch.heapify(image);
        sketch.update(visitorId);
        return sketch.toCompactByteArray();
    }

    /** The image of the union of {@code a} and {@code b}. */
    public static byte[] union(byte[] a, byte[] b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        Union union = new Union(LG_K);
        union.update(HllSketch.wrap(Memory.wrap(a)));
        union.update(HllSketch.wrap(Memory.wrap(b)));
        return union.getResult(TYPE).toCompactByteArray();
    }

    /** The estimated number of distinct visitors of {@code image}. */
    public static long estimate(byte[] image) {
        return image == null ? 0 : Math.round(HllSketch.wrap(Memory.wrap(image)).getEstimate());
    }
}
