/* frontends.h — running an entry of the front-end table (driver.h). */
#ifndef TETHER_DRIVER_FRONTENDS_H
#define TETHER_DRIVER_FRONTENDS_H

#include "driver/driver.h"
#include "frontend/frontend.h"

/* frontend_*_build of that front end. */
int driver_frontend_build(const driver_frontend *fe, const frontend_input *in, model_tu **out,
                          frontend_stats *stats, char *err, size_t errsize);

#endif /* TETHER_DRIVER_FRONTENDS_H */
