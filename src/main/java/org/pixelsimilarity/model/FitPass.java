package org.pixelsimilarity.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.pixelsimilarity.data.PixelTable;
import org.pixelsimilarity.data.RowFold;
import org.pixelsimilarity.data.ScanPass;
import org.pixelsimilarity.data.ValidationGroup;

/**
 * The fit done in the scan that validates the training images: the {@link PixelSumsFold} of every group's
 * decodable images, counted beside validation's count. Its result is the exact sums of the accepted images per
 * label, which {@link IdealImages#fit(org.pixelsimilarity.data.Scanned)} divides into the ideal images.
 */
public final class FitPass implements ScanPass<PixelSumsFold.Sums, PixelSums> {
  private static final RowFold<PixelSumsFold.Sums> FOLD = new PixelSumsFold(when(OK, col(PixelTable.PIXELS)));

  @Override
  public List<Column> keys() {
    return List.of();
  }

  @Override
  public RowFold<PixelSumsFold.Sums> fold() {
    return FOLD;
  }

  @Override
  public PixelSumsFold.Sums values(Row values) {
    return (PixelSumsFold.Sums) values.get(0);
  }

  /**
   * Per label, the count and pixel sums of its accepted images; labels without any are left out. In a colour set
   * a group of gray images (sums of h·w values) counts as those images with R = G = B, as validation expands them.
   */
  @Override
  public PixelSums result(List<ValidationGroup<PixelSumsFold.Sums>> accepted) {
    int pixels = accepted.stream().mapToInt(g -> g.values().getSums().length).max().orElse(0);
    PixelSums sums = new PixelSums(pixels);
    for (ValidationGroup<PixelSumsFold.Sums> g : accepted) {
      if (g.values().getCount() > 0) {
        long[] groupSums = g.values().getSums();
        sums.add(g.label(), g.values().getCount(),
            groupSums.length == pixels ? groupSums : PixelSums.asColour(groupSums));
      }
    }
    return sums;
  }
}
