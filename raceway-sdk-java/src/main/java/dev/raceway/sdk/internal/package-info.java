/**
 * The SDK's machinery: the sender and its retry policy, accounting, ids, value conversion, caller locations.
 *
 * <p><b>This package is internal and is hence not for public use.</b> Its classes are public only so that the
 * SDK's own packages can share them; they may change or disappear in any release without notice. Applications use
 * {@code dev.raceway.sdk} (and {@code dev.raceway.sdk.transport} to plug in a transport).
 */
package dev.raceway.sdk.internal;
