package org.pixelsimilarity.data;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The files a folder listing found, in order, each with its label and what kind of entry it is, packed: the
 * driver keeps no object per file and each decoding task gets its share as one {@link Part}.
 *
 * <p>Paths are front-coded: each path is stored as the number of leading UTF-8 bytes it shares with the path
 * before it plus the rest. Sorted paths of one folder share everything up to the last characters of the name, so
 * a file costs a few bytes ({@code …/train/3/0012345.png} after {@code …/0012344.png}: 3 bytes) instead of a
 * {@code String[]} of the label, the whole path and a reason (~200 bytes on the driver, ~80 in a task). Labels and
 * kinds are stored per run of files that share both (a label folder is one run). Reasons are rebuilt in the task
 * from the kind and the dataset root. Each file's length, as the listing saw it, goes along as a varint (two bytes
 * for a small PNG), and an object store's ETag where the listing gave one (none for local files and HDFS): a task
 * opens the file with them, so an object store needs no request for the file's status.
 */
final class FileList {
  /** What a listed file is, which decides its row's reason. */
  enum Kind {
    /** An image to decode: directly in a label folder, or anywhere in an unlabelled tree (label null). */
    IMAGE,
    /** A file in a folder below a label folder: a bad image. */
    NESTED,
    /** A file directly in the root of a tree of label folders (label null): a bad image. */
    AT_ROOT;

    private static final Kind[] ALL = values();

    /** The bad-image reason of this kind of entry, or null for {@link #IMAGE}. */
    String reason(String root) {
      return switch (this) {
        case IMAGE -> null;
        case NESTED -> "file nested below the label folder; images belong directly in " + root + "/<label>/";
        case AT_ROOT -> "file directly under the dataset root; images belong in " + root + "/<label>/";
      };
    }
  }

  /** One listed file as a task sees it; {@code length} in bytes as listed, {@code etag} the store's or null. */
  record Entry(String label, String path, String reason, long length, String etag) {
    /** A file without an ETag (local, HDFS). */
    Entry(String label, String path, String reason, long length) {
      this(label, path, reason, length, null);
    }
  }

  private final Runs runs = new Runs();
  private final Codes codes = new Codes();
  private final Varints lengths = new Varints();
  private final Codes etags = new Codes();
  private String first;

  /**
   * Appends a file; {@code path} is the path string a task gets (the listing's {@code FileStatus} path),
   * {@code length} its length in bytes.
   */
  void add(String label, Kind kind, String path, long length) {
    add(label, kind, path, length, null);
  }

  /** As {@link #add(String, Kind, String, long)}, with the object's ETag as listed (null: none). */
  void add(String label, Kind kind, String path, long length, String etag) {
    if (first == null) {
      first = path;
    }
    runs.add(label, kind, codes.size());
    codes.add(path.getBytes(StandardCharsets.UTF_8));
    lengths.add(length);
    etags.add(etag == null ? new byte[0] : etag.getBytes(StandardCharsets.UTF_8));
  }

  int size() {
    return codes.size();
  }

  /** The first path added, or null. */
  String first() {
    return first;
  }

  /**
   * The files split into {@code parts} consecutive shares as Spark's {@code parallelize} splits a list of that
   * length (share i holds files {@code [i·n/parts, (i+1)·n/parts)}), each front-coded on its own.
   */
  List<Part> split(int parts, String root) {
    int n = size();
    List<Part> out = new ArrayList<>(parts);
    Codes.Reader reader = codes.reader();
    Varints.Reader sizes = new Varints.Reader(lengths.buf);
    Codes.Reader tags = etags.reader();
    int run = 0;
    for (int i = 0; i < parts; i++) {
      int start = (int) ((long) i * n / parts);
      int end = (int) ((long) (i + 1) * n / parts);
      Runs share = new Runs();
      Codes packed = new Codes();
      Varints packedLengths = new Varints();
      Codes packedEtags = new Codes();
      for (int f = start; f < end; f++) {
        while (runs.end(run) <= f) {
          run++;
        }
        share.add(runs.label(run), runs.kind(run), f - start);
        packed.add(reader.next());
        packedLengths.add(sizes.next());
        packedEtags.add(tags.next());
      }
      out.add(new Part(root, share.labels(), share.kinds(), share.ends(), end - start, packed.bytes(),
          packedLengths.bytes(), packedEtags.bytes()));
    }
    return out;
  }

  /**
   * One task's files: labels, kinds and run ends (exclusive file indexes) per run, the front-coded paths, the
   * lengths (varints), the ETags (front-coded, empty for none), and the dataset root the reasons name.
   */
  record Part(String root, String[] labels, byte[] kinds, int[] ends, int count, byte[] paths, byte[] lengths,
      byte[] etags) implements Serializable {
    Iterator<Entry> entries() {
      return new Iterator<>() {
        private final Codes.Reader paths = new Codes.Reader(Part.this.paths());
        private final Varints.Reader sizes = new Varints.Reader(Part.this.lengths());
        private final Codes.Reader tags = new Codes.Reader(Part.this.etags());
        private int next;
        private int run;

        @Override
        public boolean hasNext() {
          return next < count;
        }

        @Override
        public Entry next() {
          if (next >= count) {
            throw new NoSuchElementException();
          }
          while (ends[run] <= next) {
            run++;
          }
          next++;
          String path = paths.nextString();
          long length = sizes.next();
          String etag = tags.nextString();
          return new Entry(labels[run], path, Kind.ALL[kinds[run]].reason(root), length,
              etag.isEmpty() ? null : etag);
        }
      };
    }
  }

  /** Runs of consecutive files with the same label and kind. */
  private static final class Runs {
    private final List<String> labels = new ArrayList<>();
    private byte[] kinds = new byte[4];
    private int[] ends = new int[4];

    /** Notes file {@code index} (the next one) as having this label and kind. */
    void add(String label, Kind kind, int index) {
      int last = labels.size() - 1;
      if (last >= 0 && kinds[last] == kind.ordinal() && java.util.Objects.equals(labels.get(last), label)) {
        ends[last] = index + 1;
        return;
      }
      if (labels.size() == ends.length) {
        kinds = Arrays.copyOf(kinds, ends.length * 2);
        ends = Arrays.copyOf(ends, ends.length * 2);
      }
      kinds[labels.size()] = (byte) kind.ordinal();
      ends[labels.size()] = index + 1;
      labels.add(label);
    }

    int end(int run) {
      return ends[run];
    }

    String label(int run) {
      return labels.get(run);
    }

    Kind kind(int run) {
      return Kind.ALL[kinds[run]];
    }

    String[] labels() {
      return labels.toArray(new String[0]);
    }

    byte[] kinds() {
      return Arrays.copyOf(kinds, labels.size());
    }

    int[] ends() {
      return Arrays.copyOf(ends, labels.size());
    }
  }

  /**
   * Front-coded byte strings: per string, varint(bytes shared with the previous string), varint(length of the
   * rest), the rest.
   */
  static final class Codes {
    private byte[] buf = new byte[256];
    private int len;
    private int count;
    private byte[] prev = new byte[64];
    private int prevLen;

    void add(byte[] s) {
      int shared = 0;
      int max = Math.min(prevLen, s.length);
      while (shared < max && prev[shared] == s[shared]) {
        shared++;
      }
      int rest = s.length - shared;
      ensure(10 + rest);
      varint(shared);
      varint(rest);
      System.arraycopy(s, shared, buf, len, rest);
      len += rest;
      if (prev.length < s.length) {
        prev = Arrays.copyOf(prev, Math.max(s.length, prev.length * 2));
      }
      System.arraycopy(s, shared, prev, shared, rest);
      prevLen = s.length;
      count++;
    }

    int size() {
      return count;
    }

    byte[] bytes() {
      return Arrays.copyOf(buf, len);
    }

    /** The strings back as UTF-8 bytes, in order, without copying the buffer. */
    Reader reader() {
      return new Reader(buf);
    }

    private void ensure(int more) {
      if (len + more > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(len + more, buf.length + (buf.length >> 1)));
      }
    }

    private void varint(int v) {
      while ((v & ~0x7f) != 0) {
        buf[len++] = (byte) ((v & 0x7f) | 0x80);
        v >>>= 7;
      }
      buf[len++] = (byte) v;
    }

    /** Reads the strings back, in order. */
    static final class Reader {
      private final byte[] in;
      private int pos;
      private byte[] cur = new byte[64];
      private int curLen;

      Reader(byte[] in) {
        this.in = in;
      }

      /** The next string's bytes (a fresh array). */
      byte[] next() {
        advance();
        return Arrays.copyOf(cur, curLen);
      }

      String nextString() {
        advance();
        return new String(cur, 0, curLen, StandardCharsets.UTF_8);
      }

      private void advance() {
        int shared = varint();
        int rest = varint();
        if (cur.length < shared + rest) {
          cur = Arrays.copyOf(cur, Math.max(shared + rest, cur.length * 2));
        }
        System.arraycopy(in, pos, cur, shared, rest);
        pos += rest;
        curLen = shared + rest;
      }

      private int varint() {
        int v = 0;
        for (int shift = 0; ; shift += 7) {
          byte b = in[pos++];
          v |= (b & 0x7f) << shift;
          if (b >= 0) {
            return v;
          }
        }
      }
    }
  }

  /** Non-negative longs, 7 bits a byte. */
  static final class Varints {
    private byte[] buf = new byte[64];
    private int len;

    void add(long v) {
      if (len + 10 > buf.length) {
        buf = Arrays.copyOf(buf, buf.length * 2);
      }
      while ((v & ~0x7fL) != 0) {
        buf[len++] = (byte) ((v & 0x7f) | 0x80);
        v >>>= 7;
      }
      buf[len++] = (byte) v;
    }

    byte[] bytes() {
      return Arrays.copyOf(buf, len);
    }

    /** Reads the values back, in order. */
    static final class Reader {
      private final byte[] in;
      private int pos;

      Reader(byte[] in) {
        this.in = in;
      }

      long next() {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
          byte b = in[pos++];
          v |= (long) (b & 0x7f) << shift;
          if (b >= 0) {
            return v;
          }
        }
      }
    }
  }
}
