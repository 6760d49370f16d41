const char *s = "// tether:ignore"; /* NOLINT(tether-
*/
