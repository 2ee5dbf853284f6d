/**
 * Internal: the ideal images (fit, save, load, pictures). Not an API; public only because the other packages of
 * this project call it, and free to change in any release. The model folder's format is documented
 * (docs/model.md); the classes that read and write it are not.
 */
package org.pixelsimilarity.model;
