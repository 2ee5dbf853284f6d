package org.pixelsimilarity.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pixelsimilarity.MnistSample;
import org.pixelsimilarity.Pipeline;
import org.pixelsimilarity.SparkTestSession;
import org.pixelsimilarity.requests.IngestRequest;

/**
 * The layout docs/performance.md promises for pixel tables, read back from the parquet footers: {@code ingest}
 * writes the pixels uncompressed and without dictionary encoding, in row groups of about 16 MB.
 */
class PixelTableLayoutTest {
  private static final SparkSession SPARK = SparkTestSession.get();

  private static List<BlockMetaData> rowGroups(Path table) throws IOException {
    List<BlockMetaData> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(table)) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList()) {
        try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(
            new org.apache.hadoop.fs.Path(f.toUri()), new Configuration()))) {
          out.addAll(r.getFooter().getBlocks());
        }
      }
    }
    return out;
  }

  private static ColumnChunkMetaData column(BlockMetaData block, String name) {
    return block.getColumns().stream().filter(c -> c.getPath().toDotString().equals(name)).findFirst()
        .orElseThrow();
  }

  @Test
  void ingestWritesPixelsUncompressedWithoutDictionary(@TempDir Path tmp) throws IOException {
    Path table = tmp.resolve("valid");
    Pipeline.ingest(SPARK, new IngestRequest(DatasetSpec.of("input", MnistSample.valid()), table.toString(), false));
    List<BlockMetaData> groups = rowGroups(table);
    assertFalse(groups.isEmpty());
    long rows = 0;
    for (BlockMetaData g : groups) {
      rows += g.getRowCount();
      ColumnChunkMetaData pixels = column(g, PixelTable.PIXELS);
      assertEquals(CompressionCodecName.UNCOMPRESSED, pixels.getCodec());
      assertFalse(pixels.getEncodings().contains(Encoding.PLAIN_DICTIONARY)
          || pixels.getEncodings().contains(Encoding.RLE_DICTIONARY), pixels.getEncodings().toString());
      assertFalse(pixels.hasDictionaryPage(), "pixels have a dictionary page");
      assertEquals(CompressionCodecName.UNCOMPRESSED, column(g, PixelTable.LABEL).getCodec());
    }
    assertEquals(421, rows);
  }

  @Test
  void rowGroupsAreAbout16Megabytes(@TempDir Path tmp) throws IOException {
    // 40,000 random 28x28 images: 31 MB of pixels, so at least two row groups; random bytes so that no encoding
    // shrinks them.
    SplittableRandom r = new SplittableRandom(1);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 40_000; i++) {
      byte[] px = new byte[784];
      r.nextBytes(px);
      rows.add(RowFactory.create(Integer.toString(i % 10), px, "img-" + i, 28, 28));
    }
    Path table = tmp.resolve("big");
    PixelTable.write(SPARK.createDataFrame(rows, PixelTable.STORED).coalesce(1), table.toString(), false);
    List<BlockMetaData> groups = rowGroups(table);
    assertTrue(groups.size() >= 2, groups.size() + " row groups");
    long mb = 1 << 20;
    for (BlockMetaData g : groups.subList(0, groups.size() - 1)) {
      assertTrue(g.getTotalByteSize() > 12 * mb && g.getTotalByteSize() <= 17 * mb,
          "row group of " + g.getTotalByteSize() + " bytes, " + g.getRowCount() + " rows");
    }
    assertEquals(40_000, groups.stream().mapToLong(BlockMetaData::getRowCount).sum());
  }
}
