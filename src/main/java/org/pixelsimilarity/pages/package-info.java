/**
 * Internal: the HTML run pages and the index, made from the report tables. Not an API; public only because the
 * other packages of this project call it, and free to change in any release (docs/report-pages.md describes the
 * pages, not these classes).
 */
package org.pixelsimilarity.pages;
