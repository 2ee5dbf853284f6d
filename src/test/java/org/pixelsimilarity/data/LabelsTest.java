package org.pixelsimilarity.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LabelsTest {
  @Test
  void numbersSortAsNumbersAndBeforeText() {
    List<String> labels = new ArrayList<>(List.of("cat", "10", "2", "Boot", "1", "dog", "007", "7"));
    labels.sort(Labels.ORDER);
    // 1 < 2 < 7 = 007 (numeric tie broken as text: "007" < "7") < 10, then text in code-point order.
    assertEquals(List.of("1", "2", "007", "7", "10", "Boot", "cat", "dog"), labels);
  }

  @Test
  void twoComesBeforeTen() {
    assertTrue(Labels.ORDER.compare("2", "10") < 0);
    assertTrue(Labels.ORDER.compare("10", "2") > 0);
    assertTrue(Labels.ORDER.compare("9", "a") < 0);
    assertTrue(Labels.ORDER.compare("a", "9") > 0);
    assertEquals(0, Labels.ORDER.compare("3", "3"));
  }

  @Test
  void veryLongNumbersStillCompareNumerically() {
    assertTrue(Labels.ORDER.compare("99999999999999999999", "100000000000000000000") < 0);
  }

  @Test
  void numbersOfUpTo30DigitsCompareAsNumbersLongerOnesAsText() {
    String thirty = "0".repeat(29) + "1";
    String thirtyOne = "0".repeat(30) + "1";
    assertTrue(Labels.ORDER.compare(thirty, "2") < 0, "30 digits: the number 1 comes before 2");
    assertTrue(Labels.ORDER.compare(thirtyOne, "2") > 0, "31 digits: text, after every number");
    assertTrue(Labels.ORDER.compare("", "0") > 0, "the empty label is text");
  }

  @Test
  void parseListKeepsTheGivenLabels() {
    assertEquals(Set.of("3", "7"), Labels.parseList("3,7"));
    assertEquals(List.of("T-shirt", "Sneaker", "9"), new ArrayList<>(Labels.parseList(" T-shirt , Sneaker,9")));
    assertTrue(Labels.parseList("").isEmpty());
    assertTrue(Labels.parseList(null).isEmpty());
  }

  @Test
  void parseListRefusesWhatCannotBeCompared() {
    IllegalArgumentException one = assertThrows(IllegalArgumentException.class, () -> Labels.parseList("3"));
    assertTrue(one.getMessage().contains("at least two labels"), one.getMessage());
    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> Labels.parseList("3,7,3"));
    assertTrue(twice.getMessage().contains("listed twice"), twice.getMessage());
    IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> Labels.parseList("3,,7"));
    assertTrue(empty.getMessage().contains("comma-separated"), empty.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Labels.parseList("3,7,"));
  }
}
