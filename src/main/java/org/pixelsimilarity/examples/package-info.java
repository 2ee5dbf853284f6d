/**
 * Internal: example programs (the Spark ML example of docs/spark-ml.md, run by jobs/ml-example.sh). They show how
 * the API is used; they are not an API themselves.
 */
package org.pixelsimilarity.examples;
