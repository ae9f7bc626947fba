/** The Swing desktop client: login screen, contacts, calls, settings. */
package io.causerie.desktop;
