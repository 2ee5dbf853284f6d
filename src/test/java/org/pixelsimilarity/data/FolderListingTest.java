package org.pixelsimilarity.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pixelsimilarity.JobException;
import org.pixelsimilarity.SparkTestSession;

/**
 * The folder listing's {@code java.nio} way for local folders against Hadoop's {@code listStatus} (the way every
 * other file system still takes, and what local folders were listed with before): the same files, labels, reasons,
 * order, origins (compared as strings), hidden entries and empty label folders, on a tree of awkward names,
 * nested and hidden files and folders, checksum files and symlinks. And the packed file list the tasks get.
 */
class FolderListingTest {
  @TempDir
  static Path root;

  private static final String[] AWKWARD = {"plain.png", "with space.png", "50%.png", "a%20b.png", "ü é.png",
      "x#y.png", "a:b.png", "a+b=c.png", "\u6f22\u5b57.png", "\ud83d\ude00.png", "tab\there.png", "q?.png",
      "a!b.png", "a b.png", "[x].png", "semi;colon.png", "0.png", "00.png", "0-.png"};

  @BeforeAll
  static void tree() throws IOException {
    for (String label : new String[] {"a", "a b", "a!b", "c#1", "d%20", "é"}) {
      for (String name : AWKWARD) {
        touch(root.resolve(label).resolve(name));
      }
    }
    touch(root.resolve("a/sub/nested.png"));
    touch(root.resolve("a/sub/deeper/y.png"));
    touch(root.resolve("a/sub.png"));
    touch(root.resolve("a/sub-x.png"));
    touch(root.resolve("a/.DS_Store"));
    touch(root.resolve("a/.ipynb_checkpoints/plain-checkpoint.png"));
    touch(root.resolve("a/.plain.png.crc"));
    touch(root.resolve("a/sub/.deep.png.crc"));
    touch(root.resolve(".ipynb_checkpoints/a/x.png"));
    touch(root.resolve(".DS_Store"));
    touch(root.resolve("stray.png"));
    touch(root.resolve(".stray.png.crc"));
    Files.createDirectories(root.resolve("empty"));
    Files.createDirectories(root.resolve("only-hidden"));
    touch(root.resolve("only-hidden/.DS_Store"));
    // Symlinks: to a file, to a folder (inside a label folder and as a label folder), dangling, hidden dangling.
    Path outside = Files.createDirectories(root.getParent().resolve(root.getFileName() + "-outside"));
    touch(outside.resolve("linked-in.png"));
    touch(outside.resolve("inner/deep.png"));
    Files.createSymbolicLink(root.resolve("a/link-to-file.png"), root.resolve("a/plain.png"));
    Files.createSymbolicLink(root.resolve("a/link-to-folder"), outside);
    Files.createSymbolicLink(root.resolve("linked-label"), outside);
    Files.createSymbolicLink(root.resolve("a/dangling.png"), root.resolve("nowhere.png"));
    Files.createSymbolicLink(root.resolve("a/.dangling"), root.resolve("nowhere.png"));
    Files.createSymbolicLink(root.resolve("dangling-label"), root.resolve("nowhere"));
  }

  private static void touch(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, file.getFileName().toString());
  }

  /** The length of a file {@link #touch} wrote under this name: its name's UTF-8 bytes. */
  private static long held(String name) {
    return name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

  private static List<FileList.Entry> entries(FileList files, int parts, String root) {
    List<FileList.Entry> out = new ArrayList<>();
    for (FileList.Part p : files.split(parts, root)) {
      for (Iterator<FileList.Entry> it = p.entries(); it.hasNext(); ) {
        out.add(it.next());
      }
    }
    return out;
  }

  private static void assertSameListing(ImageFolderReader.Listing hadoop, ImageFolderReader.Listing nio,
      String root) {
    assertEquals(0, hadoop.javaNioFolders());
    assertTrue(nio.javaNioFolders() > 0, "java.nio listed no folder");
    List<FileList.Entry> expected = entries(hadoop.files(), 1, root);
    assertEquals(expected, entries(nio.files(), 1, root));
    assertEquals(expected, entries(nio.files(), 3, root));
    assertEquals(hadoop.emptyLabels(), nio.emptyLabels());
    assertEquals(hadoop.hidden(), nio.hidden());
  }

  private static Configuration conf() {
    return new Configuration();
  }

  @Test
  void localFoldersAreListedWithJavaNio() throws IOException {
    assertTrue(ImageFolderReader.listsWithJavaNio(FileSystem.getLocal(conf())));
    FileSystem raw = new org.apache.hadoop.fs.Path(root.toString()).getFileSystem(rawLocalConf());
    assertEquals(RawLocalFileSystem.class, raw.getClass());
    assertTrue(ImageFolderReader.listsWithJavaNio(raw));
    assertFalse(ImageFolderReader.listsWithJavaNio(new RawLocalFileSystem() {}), "a subclass may list otherwise");
  }

  @Test
  void labelFoldersListTheSameAsHadoopsListStatus() {
    String r = root.toString();
    ImageFolderReader.Listing hadoop = ImageFolderReader.list(conf(), r, Set.of(), false);
    ImageFolderReader.Listing nio = ImageFolderReader.list(conf(), r, Set.of(), true);
    assertSameListing(hadoop, nio, r);

    // What that listing is, by hand: checked here so that both ways agreeing on something wrong fails too.
    List<FileList.Entry> all = entries(nio.files(), 1, r);
    String base = "file:" + root;
    assertEquals(new FileList.Entry(null, base + "/stray.png", FileList.Kind.AT_ROOT.reason(r), held("stray.png")),
        all.stream().filter(e -> e.label() == null).findFirst().orElseThrow());
    assertTrue(all.contains(new FileList.Entry("a", base + "/a/with space.png", null, held("with space.png"))));
    assertTrue(all.contains(new FileList.Entry("d%20", base + "/d%20/50%.png", null, held("50%.png"))));
    assertTrue(all.contains(new FileList.Entry("c#1", base + "/c#1/x#y.png", null, held("x#y.png"))));
    assertTrue(all.contains(new FileList.Entry("é", base + "/é/\ud83d\ude00.png", null, held("\ud83d\ude00.png"))));
    assertTrue(all.contains(new FileList.Entry("a", base + "/a/a:b.png", null, held("a:b.png"))));
    assertTrue(all.contains(new FileList.Entry("a", base + "/a/sub/deeper/y.png", FileList.Kind.NESTED.reason(r),
        held("y.png"))));
    // A symlinked file is a file at the link's path; a symlinked folder is listed under the link's path, in a
    // label folder as nested files, at the root as a label folder; dangling links are left out, hidden or not.
    assertTrue(all.contains(new FileList.Entry("a", base + "/a/link-to-file.png", null, held("plain.png"))));
    assertTrue(all.contains(new FileList.Entry("a", base + "/a/link-to-folder/inner/deep.png",
        FileList.Kind.NESTED.reason(r), held("deep.png"))));
    assertTrue(all.contains(new FileList.Entry("linked-label", base + "/linked-label/linked-in.png", null, held("linked-in.png"))));
    assertTrue(all.stream().noneMatch(e -> e.path().contains("dangling")));
    assertTrue(nio.hidden().stream().noneMatch(h -> h.contains("dangling")));
    // Within a label folder, sorted by path string.
    List<String> inA = all.stream().filter(e -> "a".equals(e.label())).map(FileList.Entry::path).toList();
    assertEquals(inA.stream().sorted().toList(), inA);
    assertEquals(AWKWARD.length + 2 + 2 + 1 + 2, inA.size()); // + sub/…, sub.png, sub-x.png, link, folder link
    // The checksum file system (Hadoop's default for file:) does not list .crc files at all.
    assertEquals(List.of(base + "/.DS_Store", base + "/.ipynb_checkpoints", base + "/a/.DS_Store",
        base + "/a/.ipynb_checkpoints", base + "/only-hidden/.DS_Store"), nio.hidden().stream().sorted().toList());
    assertEquals(List.of("empty", "only-hidden"), nio.emptyLabels());
  }

  @Test
  void rawLocalFileSystemListsTheSameAndShowsCrcFilesAsHidden() {
    String r = root.toString();
    ImageFolderReader.Listing hadoop = ImageFolderReader.list(rawLocalConf(), r, Set.of(), false);
    ImageFolderReader.Listing nio = ImageFolderReader.list(rawLocalConf(), r, Set.of(), true);
    assertSameListing(hadoop, nio, r);
    assertTrue(nio.hidden().contains("file:" + root + "/a/.plain.png.crc"), nio.hidden().toString());
    assertTrue(nio.hidden().contains("file:" + root + "/a/sub/.deep.png.crc"), nio.hidden().toString());
  }

  private static Configuration rawLocalConf() {
    Configuration c = conf();
    c.set("fs.file.impl", RawLocalFileSystem.class.getName());
    c.setBoolean("fs.file.impl.disable.cache", true);
    return c;
  }

  @Test
  void everySpellingOfTheRootListsTheSame() {
    String abs = root.toString();
    String relative = Path.of("").toAbsolutePath().relativize(root).toString();
    for (String r : new String[] {abs, abs + "/", abs + "/./", abs + "/../" + root.getFileName(), "file:" + abs,
        "file://" + abs, relative, "./" + relative}) {
      ImageFolderReader.Listing hadoop = ImageFolderReader.list(conf(), r, Set.of(), false);
      ImageFolderReader.Listing nio = ImageFolderReader.list(conf(), r, Set.of(), true);
      assertSameListing(hadoop, nio, r);
      assertEquals("file:" + abs + "/a/0-.png", entries(nio.files(), 1, r).get(0).path(), r);
      ImageFolderReader.Listing hadoopTree = ImageFolderReader.listTree(conf(), r, false);
      ImageFolderReader.Listing nioTree = ImageFolderReader.listTree(conf(), r, true);
      assertSameListing(hadoopTree, nioTree, r);
    }
  }

  @Test
  void aLabelFilterListsTheSame() {
    String r = root.toString();
    Set<String> labels = Set.of("a b", "empty", "é", "nope");
    ImageFolderReader.Listing nio = ImageFolderReader.list(conf(), r, labels, true);
    assertSameListing(ImageFolderReader.list(conf(), r, labels, false), nio, r);
    assertEquals(Set.of("a b", "é"), Set.copyOf(entries(nio.files(), 1, r).stream()
        .filter(e -> e.label() != null).map(FileList.Entry::label).toList()));
  }

  @Test
  void aTreeListsTheSameAsHadoopsListStatus() {
    String r = root.toString();
    ImageFolderReader.Listing nio = ImageFolderReader.listTree(conf(), r, true);
    assertSameListing(ImageFolderReader.listTree(conf(), r, false), nio, r);
    List<FileList.Entry> all = entries(nio.files(), 1, r);
    assertTrue(all.stream().allMatch(e -> e.label() == null && e.reason() == null));
    List<String> paths = all.stream().map(FileList.Entry::path).toList();
    assertEquals(paths.stream().sorted().toList(), paths);
    assertTrue(paths.contains("file:" + root + "/stray.png"));
    assertTrue(paths.contains("file:" + root + "/linked-label/inner/deep.png"));
    // a's four extra files, its three through links, the linked label folder's two, stray.png
    assertEquals(6 * AWKWARD.length + 4 + 3 + 2 + 1, paths.size());
  }

  @Test
  void aSymlinkLoopListsTheSame(@TempDir Path loop) throws IOException {
    touch(loop.resolve("x/one.png"));
    Files.createSymbolicLink(loop.resolve("x/again"), loop.resolve("x"));
    String r = loop.toString();
    ImageFolderReader.Listing nio = ImageFolderReader.list(conf(), r, Set.of(), true);
    assertSameListing(ImageFolderReader.list(conf(), r, Set.of(), false), nio, r);
    // Followed until the kernel refuses the path (40 links), as Hadoop's File.exists() then says false.
    assertTrue(nio.files().size() > 10, "listed " + nio.files().size());
    assertSameListing(ImageFolderReader.listTree(conf(), r, false), ImageFolderReader.listTree(conf(), r, true), r);
  }

  @Test
  void badRootsFailAsBefore(@TempDir Path dir) throws IOException {
    touch(dir.resolve("flat/one.png"));
    touch(dir.resolve("flat/two.png"));
    touch(dir.resolve("file.png"));
    for (String r : new String[] {dir.resolve("missing").toString(), dir.resolve("file.png").toString(),
        dir.resolve("flat").toString()}) {
      String expected = assertThrows(JobException.class,
          () -> ImageFolderReader.list(conf(), r, Set.of(), false)).getMessage();
      assertEquals(expected, assertThrows(JobException.class,
          () -> ImageFolderReader.list(conf(), r, Set.of(), true)).getMessage());
    }
    assertEquals(dir.resolve("flat") + ": no label folders, but 2 file(s) directly in it, e.g. one.png; point at"
        + " the folder that holds one folder per label (<root>/<label>/<image>)", assertThrows(JobException.class,
            () -> ImageFolderReader.list(conf(), dir.resolve("flat").toString(), Set.of(), true)).getMessage());
  }

  @Test
  void theRowsCarryTheListedPathsInListingOrder() {
    String r = root.toString();
    List<FileList.Entry> expected = entries(ImageFolderReader.list(conf(), r, Set.of(), false).files(), 1, r);
    List<Row> rows = ImageFolderReader.read(SparkTestSession.get(), r, Set.of()).rows().collectAsList();
    assertTrue(rows.size() > ImageFolderReader.FILES_PER_PARTITION / 8);
    assertEquals(expected.size(), rows.size());
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      FileList.Entry e = expected.get(i);
      assertEquals(e.label(), row.getString(0));
      assertEquals(e.path(), row.getString(2));
      assertNull(row.get(1), e.path()); // none of these files is an image
      assertNotNull(row.getString(5));
      if (e.reason() != null) {
        assertEquals(e.reason(), row.getString(5));
      } else {
        assertTrue(row.getString(5).startsWith("not an image"), row.getString(5));
      }
    }
  }

  @Test
  void thePackedListRoundTripsInEverySplit() {
    Random random = new Random(11);
    FileList list = new FileList();
    List<FileList.Entry> added = new ArrayList<>();
    String[] labels = {"3", "7", null, "ü"};
    String[] alphabet = {"a", "b", "/", "0", "9", " ", "é", "\u6f22", "\ud83d\ude00", "%", "#"};
    String prev = "file:/data/train/";
    for (int i = 0; i < 2000; i++) {
      // Runs of a label and kind, paths sharing prefixes of every length with the one before.
      String label = labels[(i / 37) % labels.length];
      FileList.Kind kind = FileList.Kind.values()[(i / 13) % 3];
      // Cut at a code point: paths are well-formed UTF-16 (names come decoded from bytes, so never half a pair).
      int keep = prev.offsetByCodePoints(0, random.nextInt(prev.codePointCount(0, prev.length()) + 1));
      StringBuilder path = new StringBuilder(prev.substring(0, keep));
      for (int k = random.nextInt(12); k > 0; k--) {
        path.append(alphabet[random.nextInt(alphabet.length)]);
      }
      String p = path.toString();
      // Lengths of every size a varint takes: 0 to Long.MAX_VALUE.
      long length = i == 0 ? Long.MAX_VALUE : (random.nextLong() & Long.MAX_VALUE) >>> random.nextInt(64);
      list.add(label, kind, p, length);
      added.add(new FileList.Entry(label, p, kind.reason("/data/train"), length));
      prev = p;
    }
    for (int parts : new int[] {1, 2, 3, 7, 64, 1999, 2000, 2500}) {
      List<FileList.Part> split = list.split(parts, "/data/train");
      assertEquals(parts, split.size());
      List<FileList.Entry> back = new ArrayList<>();
      for (int i = 0; i < parts; i++) {
        FileList.Part part = split.get(i);
        assertEquals((int) ((long) (i + 1) * 2000 / parts) - (int) ((long) i * 2000 / parts), part.count(),
            "as Spark's parallelize slices a list");
        part.entries().forEachRemaining(back::add);
      }
      assertEquals(added, back, parts + " parts");
    }
    assertEquals(added.get(0).path(), list.first());
  }

  @Test
  void aLabelFolderOfSortedNamesPacksIntoAFewBytesPerFile() {
    FileList list = new FileList();
    for (int i = 0; i < 100_000; i++) {
      list.add("3", FileList.Kind.IMAGE, String.format("file:/work/bench-data/folder-1000000/train/3/%07d.png", i),
          300 + i % 700);
    }
    FileList.Part part = list.split(1, "/work/bench-data/folder-1000000/train").get(0);
    // Per file: 1 byte for the shared length, 1 for the rest's length, the rest ("5.png", "45.png", …).
    assertTrue(part.paths().length < 8 * 100_000, part.paths().length + " bytes");
    // A length under 16 KB: 2 bytes.
    assertEquals(2 * 100_000, part.lengths().length);
    assertEquals(1, part.labels().length);
  }
}
