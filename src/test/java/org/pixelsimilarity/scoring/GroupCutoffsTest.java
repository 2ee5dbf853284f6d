package org.pixelsimilarity.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class GroupCutoffsTest {
  @Test
  void absentGroupsReadNaNAndEveryPutIsKeptThroughGrowth() {
    GroupCutoffs c = new GroupCutoffs();
    assertTrue(Double.isNaN(c.get(0)));
    Map<Integer, Double> expected = new TreeMap<>();
    // Keys far apart and close together, more than the first capacity holds, one of them set twice.
    for (int i = 0; i < 1000; i++) {
      int key = i % 2 == 0 ? i : Integer.MAX_VALUE - i;
      c.put(key, i / 4.0);
      expected.put(key, i / 4.0);
    }
    c.put(6, -1.5);
    expected.put(6, -1.5);
    assertEquals(expected.size(), c.size());
    for (Map.Entry<Integer, Double> e : expected.entrySet()) {
      assertEquals(e.getValue(), c.get(e.getKey()), "key " + e.getKey());
    }
    assertTrue(Double.isNaN(c.get(1)));
    assertTrue(Double.isNaN(c.get(Integer.MAX_VALUE - 2)));
    Map<Integer, Double> seen = new TreeMap<>();
    c.forEach(seen::put);
    assertEquals(expected, seen);
  }

  @Test
  void aCopyIsIndependent() {
    GroupCutoffs c = new GroupCutoffs();
    c.put(3, 0.25);
    GroupCutoffs copy = c.copy();
    c.put(3, 0.5);
    c.put(4, 1.0);
    assertEquals(0.25, copy.get(3));
    assertTrue(Double.isNaN(copy.get(4)));
    assertEquals(1, copy.size());
  }

  @Test
  void groupNumbersAreNotNegative() {
    assertThrows(IllegalArgumentException.class, () -> new GroupCutoffs().put(-1, 0));
  }
}
