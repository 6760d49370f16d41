#include <tether.h>
int main(void) { for (long i = 0; i < 1000000; i++) { tt_chan *c = tt_chan_new(sizeof(int), 1); tt_close(c); } return 0; }
