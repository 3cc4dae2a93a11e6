/**
 * keepalived.conf(5) (keepalived 2.2.7) to the typed model of {@code org.jkeepalived.core.config}.
 *
 * <p>{@link org.jkeepalived.core.parse.ConfigLoader} is the entry point: {@code load(Path, LoadOptions)} for
 * a file (a {@code .yaml}/{@code .yml}/{@code .json} file is read as a {@link org.jkeepalived.core.parse.ConfigMapper}
 * dump), {@code parse(String, String, LoadOptions)} for text. Every problem is a positioned
 * {@link org.jkeepalived.core.parse.Diagnostic}: ERROR (the model is then null), WARNING (unknown or deprecated
 * keywords, errors with {@code strict}), NOTICE ("accepted, not yet implemented: KEYWORD", see
 * {@link org.jkeepalived.core.parse.KeywordSupport}).
 *
 * <p>Inside: {@code Preprocessor} (comments, include*, {@code @id} lines, {@code $NAME} parameters,
 * {@code ~SEQ}/{@code ~LST}, quoting) feeds token lines to {@code TreeBuilder} (statements and blocks),
 * whose tree {@code ConfigParser} turns into records, with {@code Defaults} and inheritance resolved.
 */
package org.jkeepalived.core.parse;
