package org.jkeepalived.ipvs.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LeastLoadedChildGroupTest {
    @Test void theAcceptingLoopKeepsAConnectionWithinTheMargin() {
        assertEquals(0, LeastLoadedChildGroup.choose(new int[] {5, 4}, 0, 1));
        assertEquals(1, LeastLoadedChildGroup.choose(new int[] {5, 5}, 1, 1));
        assertEquals(0, LeastLoadedChildGroup.choose(new int[] {3, 3, 3}, 0, 0));
    }

    @Test void beyondTheMarginTheLeastLoadedLoopTakesIt() {
        assertEquals(1, LeastLoadedChildGroup.choose(new int[] {6, 4}, 0, 1));
        assertEquals(2, LeastLoadedChildGroup.choose(new int[] {9, 7, 2, 2}, 0, 1), "the first of equals");
        assertEquals(0, LeastLoadedChildGroup.choose(new int[] {0, 3}, 1, 1));
    }

    @Test void fromOutsideAnyLoopTheLeastLoaded() {
        assertEquals(1, LeastLoadedChildGroup.choose(new int[] {2, 1, 1}, -1, 1));
    }
}
