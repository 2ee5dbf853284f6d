package org.pixelsimilarity.scoring;

import java.util.Arrays;

/**
 * Cut-offs by group number, for the groups that have one ({@link ExampleCollector}): an open-addressing map from
 * non-negative {@code int} keys to {@code double}s, an absent key reading NaN. Top-loss groups are (metric,
 * actual, predicted) triples, 2·k² of them for k labels (2 million at 1,000 labels), of which a scan fills only the
 * pairs it meets; arrays of all of them were allocated for every task.
 */
final class GroupCutoffs {
  private static final int EMPTY = -1;
  private int[] keys;
  private double[] values;
  private int size;

  GroupCutoffs() {
    this(16);
  }

  private GroupCutoffs(int capacity) {
    keys = new int[capacity];
    values = new double[capacity];
    Arrays.fill(keys, EMPTY);
  }

  private int slot(int key) {
    int mask = keys.length - 1;
    int i = (key * 0x9E3779B9) >>> 16 & mask;
    while (keys[i] != EMPTY && keys[i] != key) {
      i = (i + 1) & mask;
    }
    return i;
  }

  /** The cut-off of group {@code key}, NaN when it has none. */
  double get(int key) {
    int i = slot(key);
    return keys[i] == EMPTY ? Double.NaN : values[i];
  }

  /** Sets group {@code key}'s cut-off ({@code key >= 0}). */
  void put(int key, double value) {
    if (key < 0) {
      throw new IllegalArgumentException("group " + key);
    }
    int i = slot(key);
    if (keys[i] == EMPTY) {
      if (2 * (size + 1) > keys.length) {
        grow();
        i = slot(key);
      }
      keys[i] = key;
      size++;
    }
    values[i] = value;
  }

  int size() {
    return size;
  }

  private void grow() {
    int[] oldKeys = keys;
    double[] oldValues = values;
    keys = new int[2 * oldKeys.length];
    values = new double[keys.length];
    Arrays.fill(keys, EMPTY);
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY) {
        int j = slot(oldKeys[i]);
        keys[j] = oldKeys[i];
        values[j] = oldValues[i];
      }
    }
  }

  /** Each group that has a cut-off, with it. */
  void forEach(Entry each) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != EMPTY) {
        each.accept(keys[i], values[i]);
      }
    }
  }

  /** A group and its cut-off. */
  @FunctionalInterface
  interface Entry {
    void accept(int key, double value);
  }

  GroupCutoffs copy() {
    GroupCutoffs c = new GroupCutoffs(keys.length);
    System.arraycopy(keys, 0, c.keys, 0, keys.length);
    System.arraycopy(values, 0, c.values, 0, values.length);
    c.size = size;
    return c;
  }
}
