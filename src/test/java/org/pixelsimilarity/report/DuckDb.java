package org.pixelsimilarity.report;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Reads the report tables the way a user would: DuckDB over the parquet files, hive partitions on. */
public final class DuckDb implements AutoCloseable {
  private final Connection connection;
  private final Path report;

  public DuckDb(Path report) throws SQLException {
    this.connection = DriverManager.getConnection("jdbc:duckdb:");
    this.report = report;
  }

  /** {@code read_parquet('<report>/<table>/* /*.parquet', hive_partitioning=true)}. */
  public String table(String name) {
    return "read_parquet('" + report.resolve(name) + "/*/*.parquet', hive_partitioning=true)";
  }

  public List<String> columns(String table) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM " + table(table) + " LIMIT 0")) {
      ResultSetMetaData md = rs.getMetaData();
      List<String> out = new ArrayList<>();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        out.add(md.getColumnName(i));
      }
      return out;
    }
  }

  /** All rows of a query, each as an array of column values (JDBC objects). */
  public List<Object[]> rows(String sql) throws SQLException {
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      List<Object[]> out = new ArrayList<>();
      while (rs.next()) {
        Object[] row = new Object[n];
        for (int i = 0; i < n; i++) {
          row[i] = rs.getObject(i + 1);
        }
        out.add(row);
      }
      return out;
    }
  }

  public long count(String sql) throws SQLException {
    return ((Number) rows(sql).get(0)[0]).longValue();
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
