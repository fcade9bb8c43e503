package io.webpipe.job.pages;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

class VisitorSketchTest {

    @Test
    void fewVisitorsAreCountedExactlyAndEachOnce() {
        byte[] image = null;
        for (int i = 0; i < 300; i++) {
            image = VisitorSketch.add(image, "v" + (i % 150));
            assertThat(VisitorSketch.estimate(image)).isEqualTo(Math.min(i + 1, 150));
        }
        assertThat(VisitorSketch.estimate(null)).isZero();
    }

    @Test
    void aUnionCountsVisitorsSeenInBothOnce() {
        byte[] a = null;
        byte[] b = null;
        for (int i = 0; i < 20_000; i++) {
            a = VisitorSketch.add(a, "v" + i);
            b = VisitorSketch.add(b, "v" + (i + 10_000));
        }
        byte[] union = VisitorSketch.union(a, b);
        assertThat(VisitorSketch.estimate(union)).isCloseTo(30_000L, Percentage.withPercentage(5));
        assertThat(VisitorSketch.estimate(VisitorSketch.union(union, b))).isEqualTo(VisitorSketch.estimate(union));
        assertThat(VisitorSketch.estimate(VisitorSketch.union(null, a))).isEqualTo(VisitorSketch.estimate(a));
    }

    @Test
    void anImageStaysBoundedWhateverTheVisitorsAndCopiesAreNotChangedByLaterVisitors() {
        byte[] image = null;
        byte[] small = null;
        for (int i = 0; i < 100_000; i++) {
            byte[] before = image;
            image = VisitorSketch.add(image, "visitor-" + i);
            if (i == 5) {
                small = image;
                assertThat(image).isNotSameAs(before); // small images are replaced, never changed
            }
        }
        assertThat(image.length).isLessThanOrEqualTo(4136);
        assertThat(VisitorSketch.estimate(small)).isEqualTo(6);
        byte[] copy = VisitorSketch.copy(image);
        byte[] union = VisitorSketch.union(image, VisitorSketch.add(null, "another"));
        long copied = VisitorSketch.estimate(copy);
        long united = VisitorSketch.estimate(union);
        for (int i = 0; i < 50_000; i++) {
            assertThat(VisitorSketch.add(image, "later-" + i)).isSameAs(image); // large images change in place
        }
        assertThat(VisitorSketch.estimate(copy)).isEqualTo(copied);
        assertThat(VisitorSketch.estimate(union)).isEqualTo(united);
        assertThat(VisitorSketch.estimate(image)).isCloseTo(150_000L, Percentage.withPercentage(5));
    }

    @Test
    void aLargeCompactImageTakesVisitorsToo() {
        byte[] many = null;
        for (int i = 0; i < 5_000; i++) {
            many = VisitorSketch.add(many, "v" + i);
        }
        byte[] compact = VisitorSketch.union(many, VisitorSketch.add(null, "v0")); // e.g. a merged window's
        assertThat(compact.length).isGreaterThan(128);
        byte[] added = VisitorSketch.add(compact, "v-new");
        assertThat(VisitorSketch.estimate(added)).isCloseTo(5_001L, Percentage.withPercentage(5));
        assertThat(VisitorSketch.add(added, "v-newer")).isSameAs(added);
    }

    @Test
    void anHll4ImageOfTheEarlierVersionTakesVisitorsAndUnions() {
        HllSketch earlier = new HllSketch(VisitorSketch.LG_K, TgtHllType.HLL_4); // what a savepoint of the sixth round holds
        for (int i = 0; i < 5_000; i++) {
            earlier.update("v" + i);
        }
        byte[] restored = earlier.toCompactByteArray();
        byte[] added = VisitorSketch.add(restored, "v-new");
        assertThat(added).isNotSameAs(restored);
        assertThat(VisitorSketch.estimate(added)).isCloseTo(5_001L, Percentage.withPercentage(5));
        assertThat(VisitorSketch.estimate(VisitorSketch.union(restored, VisitorSketch.add(null, "other"))))
                .isCloseTo(5_001L, Percentage.withPercentage(5));
        assertThat(VisitorSketch.estimate(restored)).isEqualTo(Math.round(earlier.getEstimate())); // left as it was
    }

    @Test
    void aWindowRestoredWithVisitorIdsFoldsThemIntoItsSketch() {
        PageWindowViews restored = new PageWindowViews();
        restored.visitorIds = new String[] {"v1", "v2"};
        PageView view = new PageView();
        view.visitorId = "v3";
        view.eventId = "e3";
        restored.add(view);
        assertThat(restored.visitorIds).isNull();
        assertThat(VisitorSketch.estimate(restored.visitorsSoFar())).isEqualTo(3);
    }
}
