package org.pixelsimilarity.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading files by the paths the listing hands out (Hadoop's {@code FileStatus} path strings). */
class FileBytesTest {
  @TempDir
  Path dir;

  @Test
  void readsLocalFilesWhateverCharactersTheirNamesHold() throws IOException {
    String[] names = {"plain.png", "with space.png", "50%.png", "a%20b.png", "ü é.png", "x#y.png", "a+b=c.png"};
    for (int i = 0; i < names.length; i++) {
      Files.write(dir.resolve(names[i]), new byte[] {(byte) i, 1, 2, (byte) (i * 7)});
    }
    FileSystem fs = FileSystem.getLocal(new Configuration());
    FileBytes bytes = new FileBytes(new Configuration());
    int seen = 0;
    for (FileStatus s : fs.listStatus(new org.apache.hadoop.fs.Path(dir.toUri()))) {
      String listed = s.getPath().toString(); // what a task receives
      byte[] expected = Files.readAllBytes(dir.resolve(s.getPath().getName()));
      assertArrayEquals(expected, bytes.read(new org.apache.hadoop.fs.Path(listed), s.getLen()), listed);
      seen++;
    }
    assertEquals(names.length, seen);
  }

  @Test
  void aFileGoneSinceTheListingSaysSo() {
    org.apache.hadoop.fs.Path gone = new org.apache.hadoop.fs.Path(dir.resolve("gone.png").toUri());
    IOException e = assertThrows(IOException.class, () -> new FileBytes(new Configuration()).read(gone, 4));
    assertEquals("no such file (removed after the listing?)", e.getMessage());
  }
}
