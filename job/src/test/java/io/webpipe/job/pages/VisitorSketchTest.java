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

    /** Whatever the sizes, adding a sketch to a total counts what a new union of the two counts; large totals change in place. */
    @Test
    void addingASketchToATotalEstimatesAsAUnionAndChangesALargeTotalInPlace() {
        java.util.Random random = new java.util.Random(7);
        byte[] total = null;
        byte[] expected = null;
        boolean inPlace = false;
        for (int window = 0; window < 400; window++) {
            byte[] other = null;
            int visitors = random.nextInt(10) == 0 ? random.nextInt(5_000) : random.nextInt(12);
            for (int i = 0; i < visitors; i++) {
                other = VisitorSketch.add(other, "v" + random.nextInt(200_000));
            }
            byte[] otherBefore = other == null ? null : other.clone();
            byte[] before = total;
            total = VisitorSketch.addAll(total, other);
            expected = VisitorSketch.union(expected, other);
            assertThat(VisitorSketch.estimate(total)).as("window %d", window).isEqualTo(VisitorSketch.estimate(expected));
            assertThat(other).isEqualTo(otherBefore);
            if (before != null && total.length > 128) {
                inPlace |= total == before;
            }
        }
        assertThat(inPlace).isTrue();
        assertThat(VisitorSketch.addAll(total, null)).isSameAs(total);
        assertThat(VisitorSketch.addAll(null, null)).isNull();
    }

    @Test
    void aTotalRestoredAsACompactImageTakesMoreVisitors() {
        byte[] many = null;
        for (int i = 0; i < 5_000; i++) {
            many = VisitorSketch.add(many, "v" + i);
        }
        byte[] compact = VisitorSketch.union(many, VisitorSketch.add(null, "v0")); // as stored before
        HllSketch hll4 = new HllSketch(VisitorSketch.LG_K, TgtHllType.HLL_4);
        for (int i = 0; i < 5_000; i++) {
            hll4.update("v" + i);
        }
        for (byte[] restored : new byte[][] {compact, hll4.toCompactByteArray()}) {
            byte[] added = VisitorSketch.addAll(restored, VisitorSketch.add(null, "v-new"));
            assertThat(VisitorSketch.estimate(added)).isCloseTo(5_001L, Percentage.withPercentage(5));
            assertThat(VisitorSketch.addAll(added, VisitorSketch.add(null, "v-newer"))).isSameAs(added);
        }
    }
}
