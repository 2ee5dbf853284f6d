package org.pixelsimilarity.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * PIL's {@code convert("L")} rule, {@code L = (19595 R + 38470 G + 7471 B + 32768) >> 16}, on pixels worked out by
 * hand here (no PIL), and the lossless gray to RGB expansion.
 */
class ChannelsTest {
  @Test
  void lumaIsPilsFixedPointItuRec601() {
    // White and black stay: the weights sum to 65536, so (65536 * 255 + 32768) >> 16 = 255.
    assertEquals(255, Channels.luma(255, 255, 255));
    assertEquals(0, Channels.luma(0, 0, 0));
    // Gray stays gray: (65536 v + 32768) >> 16 = v.
    for (int v = 0; v < 256; v++) {
      assertEquals(v, Channels.luma(v, v, v), "gray " + v);
    }
    // Pure red: 19595 * 255 = 4,996,725; + 32768 = 5,029,493; / 65536 = 76.74 -> 76 (0.299 * 255 = 76.245).
    assertEquals(76, Channels.luma(255, 0, 0));
    // Pure green: 38470 * 255 = 9,809,850; + 32768 = 9,842,618; / 65536 = 150.19 -> 150 (0.587 * 255 = 149.685).
    assertEquals(150, Channels.luma(0, 255, 0));
    // Pure blue: 7471 * 255 = 1,905,105; + 32768 = 1,937,873; / 65536 = 29.57 -> 29 (0.114 * 255 = 29.07).
    assertEquals(29, Channels.luma(0, 0, 255));
    // Rounded, not cut: (2,0,0) is 0.598, 39190 + 32768 = 71,958 >= 65536 -> 1 (truncating would give 0).
    assertEquals(1, Channels.luma(2, 0, 0));
    // An exact half goes up: 38470 * 52 + 7471 * 184 = 2,000,440 + 1,374,664 = 3,375,104 = 51.5 * 65536;
    // + 32768 = 3,407,872 = 52 * 65536 -> 52.
    assertEquals(52, Channels.luma(0, 52, 184));
    // The rounding edge where PIL's fixed-point weights differ from the decimal ones: exactly, 0.114 * 250 = 28.5,
    // which would round to 29; PIL: 7471 * 250 = 1,867,750; + 32768 = 1,900,518 < 29 * 65536 = 1,900,544 -> 28.
    assertEquals(28, Channels.luma(0, 0, 250));
    // A mixed pixel: 19595 * 10 + 38470 * 200 + 7471 * 30 = 195,950 + 7,694,000 + 224,130 = 8,114,080;
    // + 32768 = 8,146,848; / 65536 = 124.31 -> 124.
    assertEquals(124, Channels.luma(10, 200, 30));
  }

  @Test
  void convertsInterleavedPixelsBothWays() {
    byte[] rgb = {(byte) 255, 0, 0, 0, 0, (byte) 250, 10, (byte) 200, 30, 7, 7, 7};
    assertArrayEquals(new byte[] {76, 28, 124, 7}, Channels.toGray(rgb));
    assertArrayEquals(new byte[] {76, 28, 124, 7}, Channels.convert(rgb, 3, 1));
    byte[] gray = {0, (byte) 128, (byte) 255};
    assertArrayEquals(new byte[] {0, 0, 0, (byte) 128, (byte) 128, (byte) 128, (byte) 255, (byte) 255, (byte) 255},
        Channels.toColour(gray));
    assertArrayEquals(Channels.toColour(gray), Channels.convert(gray, 1, 3));
    assertSame(gray, Channels.convert(gray, 1, 1));
    assertSame(rgb, Channels.convert(rgb, 3, 3));
    assertEquals(null, Channels.convert(null, 1, 3));
    assertArrayEquals(gray, Channels.toGray(Channels.toColour(gray)), "gray -> RGB -> gray is lossless");
  }

  @Test
  void parsesTheFlag() {
    assertEquals(Channels.AUTO, Channels.parse("auto"));
    assertEquals(Channels.AUTO, Channels.parse(" AUTO "));
    assertEquals(Channels.GRAY, Channels.parse("1"));
    assertEquals(Channels.COLOUR, Channels.parse("3"));
    assertEquals(3, Channels.COLOUR.count());
    assertEquals("3", Channels.COLOUR.toString());
    assertEquals("auto", Channels.AUTO.toString());
    assertEquals("channels must be auto, 1 (gray) or 3 (RGB), got '4'",
        assertThrows(IllegalArgumentException.class, () -> Channels.parse("4")).getMessage());
  }
}
