package org.pixelsimilarity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Executable;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rule "no public method over ~6 parameters" (docs/development.md), held: every class compiled from
 * {@code src/main} is loaded (not initialized) and its public and protected methods and constructors, records'
 * canonical constructors included, are counted. A longer list is a sign that some of its parameters belong
 * together in a record that names them.
 */
class ParameterCountTest {
  private static final int MAX = 6;

  @Test
  void noPublicOrProtectedMethodOrConstructorTakesMoreThanSix() throws Exception {
    Path classes = Path.of(Pipeline.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> names;
    try (Stream<Path> files = Files.walk(classes)) {
      names = files.map(p -> classes.relativize(p).toString()).filter(n -> n.endsWith(".class"))
          .filter(n -> !n.endsWith("package-info.class"))
          .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.')).sorted().toList();
    }
    assertTrue(names.size() > 100, "the classes of src/main were found: " + names.size());
    List<String> tooLong = new ArrayList<>();
    for (String name : names) {
      Class<?> c = Class.forName(name, false, getClass().getClassLoader());
      List<Executable> members = new ArrayList<>(List.of(c.getDeclaredMethods()));
      members.addAll(List.of(c.getDeclaredConstructors()));
      for (Executable e : members) {
        boolean visible = (e.getModifiers() & (Modifier.PUBLIC | Modifier.PROTECTED)) != 0;
        if (visible && !e.isSynthetic() && e.getParameterCount() > MAX) {
          tooLong.add(e.getParameterCount() + " parameters: " + e);
        }
      }
    }
    assertEquals(List.of(), tooLong);
  }
}
