// tether:ignore(spawn-no-cancel)
int a;
