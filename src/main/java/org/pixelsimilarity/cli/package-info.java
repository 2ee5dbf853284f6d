/**
 * API: the command line. {@link org.pixelsimilarity.cli.PixelSimilarityCli} is the jar's main class; its
 * subcommands, flags, exit codes, printed summary and the files it writes are the documented interface (README,
 * docs/). The Java classes here are internal: call the command line ({@code main}), not the command classes,
 * whose shape may change in any release.
 */
package org.pixelsimilarity.cli;
