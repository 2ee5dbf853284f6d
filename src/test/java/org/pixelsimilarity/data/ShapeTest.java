package org.pixelsimilarity.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ShapeTest {
  @Test
  void parsesAndPrintsHeightByWidth() {
    assertEquals(new Shape(28, 28), Shape.parse("28x28"));
    assertEquals(new Shape(3, 40), Shape.parse(" 3X40 "));
    assertEquals(new Shape(99999, 1), Shape.parse("99999x1"));
    assertEquals("3x40", new Shape(3, 40).toString());
    assertEquals(120, new Shape(3, 40).pixels());
    assertEquals(1, new Shape(1, 1).pixels());
  }

  @Test
  void colourHasThreeChannelsAndThreeBytesAPixel() {
    Shape cifar = Shape.parse("32x32x3");
    assertEquals(new Shape(32, 32, 3), cifar);
    assertEquals("32x32x3", cifar.toString());
    assertEquals(32 * 32 * 3, cifar.pixels());
    assertEquals(3072, cifar.pixels());
    assertEquals(new Shape(28, 28), Shape.parse("28X28x1"));
    assertEquals("28x28", Shape.parse("28x28x1").toString());
    assertEquals(new Shape(28, 28, 1), new Shape(28, 28));
    assertEquals(new Shape(2, 5, 3), new Shape(2, 5).withChannels(3));
    assertEquals(30, new Shape(2, 5).withChannels(3).pixels());
    assertEquals("an image has 1 channel (gray) or 3 (RGB), got 4",
        assertThrows(IllegalArgumentException.class, () -> Shape.parse("28x28x4")).getMessage());
    assertEquals("image shape 30000x30000x3 has more than 2^31 values",
        assertThrows(IllegalArgumentException.class, () -> Shape.parse("30000x30000x3")).getMessage());
    assertEquals(4096 * 4096 * 3, Shape.parse("4096x4096x3").pixels());
    assertEquals("an image has 1 channel (gray) or 3 (RGB), got 2",
        assertThrows(IllegalArgumentException.class, () -> new Shape(2, 2, 2)).getMessage());
    assertTrue(cifar.colour());
    assertTrue(new Shape(2, 2, 3).colour());
    assertFalse(new Shape(2, 2).colour());
    assertFalse(Shape.parse("28x28x1").colour());
  }

  @Test
  void atMostTwoToThe31MinusNineValues() {
    // Integer.MAX_VALUE - 8 = 2,147,483,639 values is the most an array holds: accepted, one more refused.
    assertEquals(Integer.MAX_VALUE - 8, new Shape(2_147_483_639, 1).pixels());
    assertEquals("image shape 2147483640x1 has more than 2^31 values",
        assertThrows(IllegalArgumentException.class, () -> new Shape(2_147_483_640, 1)).getMessage());
    // 715,827,879 x 3 = 2,147,483,637 values in colour: accepted; 715,827,880 x 3 = 2,147,483,640: refused.
    assertEquals(2_147_483_637, new Shape(715_827_879, 1, 3).pixels());
    assertEquals("image shape 715827880x1x3 has more than 2^31 values",
        assertThrows(IllegalArgumentException.class, () -> new Shape(715_827_880, 1, 3)).getMessage());
  }

  @Test
  void refusesWhatIsNotAShape() {
    for (String bad : new String[] {"28", "28x", "x28", "28*28", "-1x3", "123456x1", "28x28x", "28x28x33", "28x28x3x1", ""}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shape.parse(bad), bad);
      assertEquals("shape must look like 28x28 (height x width) or 32x32x3 (height x width x channels), got '" + bad + "'", e.getMessage());
    }
    assertEquals("image shape must be positive, got 0x5",
        assertThrows(IllegalArgumentException.class, () -> Shape.parse("0x5")).getMessage());
    assertEquals("image shape must be positive, got 5x0",
        assertThrows(IllegalArgumentException.class, () -> new Shape(5, 0)).getMessage());
    assertEquals("image shape must be positive, got 1x-1",
        assertThrows(IllegalArgumentException.class, () -> new Shape(1, -1)).getMessage());
  }
}
