package org.pixelsimilarity.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** L1 and L2 on 2x2 images whose distances are worked out by hand (pixels scaled by 1/255). */
class DistanceTest {
  private static byte[] image(int... bytes) {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      b[i] = (byte) bytes[i];
    }
    return b;
  }

  @Test
  void identicalImagesAreAtDistanceZero() {
    // 0, 255, 255, 0 scaled: 0, 1, 1, 0; the mean is the same picture.
    assertEquals(0.0, Distance.l1(image(0, 255, 255, 0), new double[] {0, 1, 1, 0}));
    assertEquals(0.0, Distance.l2(image(0, 255, 255, 0), new double[] {0, 1, 1, 0}));
  }

  @Test
  void onePixelFullyOff() {
    // image 255,0,0,0 -> 1,0,0,0; mean 0,0,0,0; differences 1,0,0,0.
    // L1 = (1+0+0+0)/4 = 0.25; L2 = sqrt((1+0+0+0)/4) = sqrt(0.25) = 0.5.
    assertEquals(0.25, Distance.l1(image(255, 0, 0, 0), new double[] {0, 0, 0, 0}));
    assertEquals(0.5, Distance.l2(image(255, 0, 0, 0), new double[] {0, 0, 0, 0}));
  }

  @Test
  void halfwayEverywhere() {
    // image 0,255,255,0 -> 0,1,1,0; mean 0.5 everywhere; |d| = 0.5 each.
    // L1 = 4*0.5/4 = 0.5; L2 = sqrt(4*0.25/4) = 0.5.
    double[] half = {0.5, 0.5, 0.5, 0.5};
    assertEquals(0.5, Distance.l1(image(0, 255, 255, 0), half));
    assertEquals(0.5, Distance.l2(image(0, 255, 255, 0), half));
  }

  @Test
  void mixedDifferences() {
    // image 0,255,255,0 -> 0,1,1,0; mean 0.5,0.5,0.25,0.75; d = -0.5, 0.5, 0.75, -0.75.
    // L1 = (0.5+0.5+0.75+0.75)/4 = 2.5/4 = 0.625 (all dyadic: exact in binary).
    // L2 = sqrt((0.25+0.25+0.5625+0.5625)/4) = sqrt(1.625/4) = sqrt(0.40625) = sqrt(13/32).
    double[] mean = {0.5, 0.5, 0.25, 0.75};
    assertEquals(0.625, Distance.l1(image(0, 255, 255, 0), mean));
    assertEquals(Math.sqrt(13.0 / 32.0), Distance.l2(image(0, 255, 255, 0), mean));
  }

  @Test
  void bytesAreReadUnsigned() {
    // byte 200 is -56 as a Java byte; scaled it must be 200/255, not negative.
    // image 200,0 vs mean 0,0: L1 = (200/255)/2 = 100/255, L2 = sqrt((200/255)^2/2) = 200/255/sqrt(2).
    assertEquals(100.0 / 255.0, Distance.l1(image(200, 0), new double[] {0, 0}), 1e-15);
    assertEquals(200.0 / 255.0 / Math.sqrt(2), Distance.l2(image(200, 0), new double[] {0, 0}), 1e-15);
  }

  @Test
  void scalingIsByteOver255() {
    // 51/255 = 0.2 and 102/255 = 0.4: image 51,102,0,0 vs mean 0,0,0,0:
    // L1 = (0.2+0.4)/4 = 0.15; L2 = sqrt((0.04+0.16)/4) = sqrt(0.05).
    assertEquals(0.15, Distance.l1(image(51, 102, 0, 0), new double[] {0, 0, 0, 0}), 1e-15);
    assertEquals(Math.sqrt(0.05), Distance.l2(image(51, 102, 0, 0), new double[] {0, 0, 0, 0}), 1e-15);
  }
}
