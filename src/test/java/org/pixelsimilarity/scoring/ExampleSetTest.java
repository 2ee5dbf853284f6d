package org.pixelsimilarity.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The set travels from every task to the driver serialized, in a format of its own: nothing is lost on the way. */
class ExampleSetTest {
  @Test
  void aSetComesBackFromSerializationWithEveryFieldAndItsCaps() throws Exception {
    ExampleSet set = new ExampleSet();
    set.add(new Example(new Example.Panel("l1", Example.TOP_LOSS, "3", "7"), "dir/ü 🙂/a#1.png",
        new Example.Distances(0.25, 0.5, 0.25), new byte[] {1, 2}));
    set.add(new Example(new Example.Panel("l2", Example.CORRECT, "7", "7"), "",
        new Example.Distances(0.0, 0.125, 0.125), new byte[0]));
    for (int i = 0; i < ExampleSet.TOP_PER_PAIR + 3; i++) {
      set.add(new Example(new Example.Panel("l1", Example.TOP_LOSS, "7", "3"), "f#" + i,
          new Example.Distances(i / 10.0, 1.0, 1.0 - i / 10.0), new byte[] {(byte) i}));
    }
    ExampleSet back = roundTrip(set);
    List<Example> want = set.examples();
    List<Example> got = back.examples();
    assertEquals(2 + ExampleSet.TOP_PER_PAIR, want.size(), "the cap holds before the trip");
    assertEquals(want.size(), got.size());
    for (int i = 0; i < want.size(); i++) {
      Example w = want.get(i);
      Example g = got.get(i);
      assertEquals(List.of(String.valueOf(w.metric()), w.kind(), w.actual(), w.predicted(), String.valueOf(w.origin()),
          String.valueOf(w.margin()), String.valueOf(w.distanceTrue()), String.valueOf(w.distancePredicted())),
          List.of(String.valueOf(g.metric()), g.kind(), g.actual(), g.predicted(), String.valueOf(g.origin()),
          String.valueOf(g.margin()), String.valueOf(g.distanceTrue()), String.valueOf(g.distancePredicted())));
      assertArrayEquals(w.pixels(), g.pixels());
    }
    // The largest margins of the 7-as-3 pair: 1.0 down to 0.3 (f#10 … f#3), in that order.
    assertEquals("f#10", got.stream().filter(e -> "7".equals(e.actual())
        && e.kind().equals(Example.TOP_LOSS)).findFirst().orElseThrow().origin());
    // Still a working set: one more example is kept or turned away by the same rule.
    back.add(new Example(new Example.Panel("l1", Example.TOP_LOSS, "7", "3"), "f#99",
        new Example.Distances(5.0, 6.0, 1.0), new byte[] {9}));
    back.add(new Example(new Example.Panel("l1", Example.TOP_LOSS, "7", "3"), "f#98",
        new Example.Distances(0.0, 1.0, 1.0), new byte[] {8}));
    List<String> pair = back.examples().stream().filter(e -> "7".equals(e.actual()) && e.kind().equals(Example.TOP_LOSS))
        .map(Example::origin).toList();
    assertEquals(ExampleSet.TOP_PER_PAIR, pair.size());
    assertEquals("f#99", pair.get(0));
    assertEquals("f#4", pair.get(pair.size() - 1));
  }

  private static ExampleSet roundTrip(ExampleSet set) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(set);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (ExampleSet) in.readObject();
    }
  }
}
