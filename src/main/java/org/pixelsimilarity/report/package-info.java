/**
 * Internal: the evaluation, the report tables and the printed summary. Not an API; public only because the other
 * packages of this project call it, and free to change in any release. The report tables' columns are documented
 * (docs/report-tables.md); the classes that write them are not.
 */
package org.pixelsimilarity.report;
