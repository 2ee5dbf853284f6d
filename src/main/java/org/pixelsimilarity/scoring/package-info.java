/**
 * Internal: distances and the nearest ideal image, exact and in integer SIMD, and the scans that score with them.
 * Not an API; public only because the other packages of this project call it, and free to change in any release.
 */
package org.pixelsimilarity.scoring;
