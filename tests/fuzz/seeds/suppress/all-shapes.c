// tether:ignore
int a; // tether:ignore(spawn-no-cancel, wg-unbalanced)
// tether:ignore-next-line(spawn-no-cancel)
int b;
// tether:ignore-begin(wg-unbalanced)
int c;
// tether:ignore-end
int d; // NOLINT
int e; // NOLINT(tether-spawn-no-cancel,bugprone-*)
// NOLINTNEXTLINE(tether-*)
int f;
// NOLINTBEGIN(tether-wg-unbalanced)
// NOLINTEND(tether-wg-unbalanced)
/* tether:ignore(unknown-rule) */
