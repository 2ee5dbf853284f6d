package org.pixelsimilarity.cli;

import java.util.Set;
import java.util.function.Function;
import org.pixelsimilarity.data.InputFormat;
import org.pixelsimilarity.data.Labels;
import org.pixelsimilarity.data.ReadMode;
import org.pixelsimilarity.data.Shape;
import org.pixelsimilarity.scoring.Metric;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The options' converters, one shape: a parse function whose {@link IllegalArgumentException} becomes picocli's
 * usage error (exit 2) with the parser's message. picocli makes converters from their class, so each is a subclass
 * naming its parse function.
 */
final class Converters {
  private Converters() {}

  /** A converter that calls {@code parse}. */
  abstract static class Parsed<T> implements ITypeConverter<T> {
    private final Function<String, T> parse;

    Parsed(Function<String, T> parse) {
      this.parse = parse;
    }

    @Override
    public final T convert(String value) {
      try {
        return parse.apply(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** {@code l1}, {@code l2} or {@code both}. */
  static final class Metrics extends Parsed<Set<Metric>> {
    Metrics() {
      super(Metric::parse);
    }
  }

  /** "auto" or one of the {@link InputFormat}s, kept as typed. */
  static final class Format extends Parsed<String> {
    Format() {
      super(value -> {
        if (!"auto".equalsIgnoreCase(value)) {
          InputFormat.parse(value);
        }
        return value;
      });
    }
  }

  static final class LabelList extends Parsed<Set<String>> {
    LabelList() {
      super(Labels::parseList);
    }
  }

  static final class Mode extends Parsed<ReadMode> {
    Mode() {
      super(ReadMode::parse);
    }
  }

  static final class ShapeOf extends Parsed<Shape> {
    ShapeOf() {
      super(Shape::parse);
    }
  }

  /** {@code auto}, {@code 1} or {@code 3}. */
  static final class ChannelCount extends Parsed<org.pixelsimilarity.data.Channels> {
    ChannelCount() {
      super(org.pixelsimilarity.data.Channels::parse);
    }
  }
}
