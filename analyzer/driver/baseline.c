/* baseline.c — reading and writing baselines (baseline.h). */
#include "driver/baseline.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver/util.h"

struct driver_baseline {
    char **fps;           /* sorted */
    size_t n;
};

static int baseline__cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

driver_baseline *baseline_load(const char *path, char *err, size_t errsize)
{
    size_t len;
    char *text = driver_read_file(path, &len, err, errsize);
    if (!text)
        return NULL;
    cJSON *root = cJSON_ParseWithLength(text, len);
    driver_baseline *self = NULL;
    const cJSON *version = root ? cJSON_GetObjectItem(root, "version") : NULL;
    const cJSON *findings = root ? cJSON_GetObjectItem(root, "findings") : NULL;
    if (!root) {
        const char *at = cJSON_GetErrorPtr();
        size_t line = 1;
        for (const char *p = text; at && p < at && p < text + len; p++)
            line += *p == '\n';
        snprintf(err, errsize, "%s:%zu: not valid JSON", path, line);
    } else if (!cJSON_IsNumber(version) || version->valueint != 1 || !cJSON_IsArray(findings)) {
        snprintf(err, errsize, "%s: not a tether baseline (version 1 with a \"findings\" list)", path);
    } else {
        self = driver_xmalloc(sizeof *self);
        self->fps = driver_xmalloc(((size_t)cJSON_GetArraySize(findings) + 1) * sizeof *self->fps);
        const cJSON *f;
        cJSON_ArrayForEach(f, findings) {
            const cJSON *fp = cJSON_GetObjectItem(f, "fingerprint");
            if (!cJSON_IsString(fp)) {
                snprintf(err, errsize, "%s: every finding needs a \"fingerprint\" string", path);
                baseline_free(self);
                self = NULL;
                break;
            }
            self->fps[self->n++] = driver_xstrdup(fp->valuestring);
        }
        if (self)
            qsort(self->fps, self->n, sizeof *self->fps, baseline__cmp_str);
    }
    cJSON_Delete(root);
    free(text);
    return self;
}

void baseline_free(driver_baseline *self)
{
    if (!self)
        return;
    for (size_t i = 0; i < self->n; i++)
        free(self->fps[i]);
    free(self->fps);
    free(self);
}

bool baseline_has(const driver_baseline *self, const char *fingerprint)
{
    return bsearch(&fingerprint, self->fps, self->n, sizeof *self->fps, baseline__cmp_str) != NULL;
}

typedef struct baseline_item {
    char *fp, *rule, *file, *msg;
    unsigned line;
} baseline_item;

struct baseline_writer {
    baseline_item *items;
    size_t n;
};

baseline_writer *baseline_writer_new(void)
{
    return driver_xmalloc(sizeof(baseline_writer));
}

void baseline_writer_add(baseline_writer *self, const diag *d, const char *file)
{
    self->items = driver_xrealloc(self->items, (self->n + 1) * sizeof *self->items);
    self->items[self->n++] = (baseline_item){ driver_xstrdup(d->fingerprint), driver_xstrdup(d->rule),
                                              driver_xstrdup(file), driver_xstrdup(d->msg), d->loc.line };
}

static int baseline__cmp_item(const void *pa, const void *pb)
{
    const baseline_item *a = pa, *b = pb;
    int c = strcmp(a->file, b->file);
    if (c)
        return c;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    return strcmp(a->fp, b->fp);
}

int baseline_writer_save(const baseline_writer *self, const char *path, char *err, size_t errsize)
{
    if (self->n > 1)
        qsort(self->items, self->n, sizeof *self->items, baseline__cmp_item);
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "version", 1);
    cJSON_AddStringToObject(root, "tool", "tether");
    cJSON *list = cJSON_AddArrayToObject(root, "findings");
    for (size_t i = 0; i < self->n; i++) {
        const baseline_item *it = &self->items[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "fingerprint", it->fp);
        cJSON_AddStringToObject(o, "rule", it->rule);
        cJSON_AddStringToObject(o, "file", it->file);
        cJSON_AddNumberToObject(o, "line", it->line);
        cJSON_AddStringToObject(o, "message", it->msg);
        cJSON_AddItemToArray(list, o);
    }
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    FILE *f = fopen(path, "wb");
    int rc = 0;
    if (!f || fputs(text, f) == EOF || fputc('\n', f) == EOF) {
        snprintf(err, errsize, "%s: %s", path, strerror(errno));
        rc = -1;
    }
    if (f && fclose(f) != 0 && rc == 0) {
        snprintf(err, errsize, "%s: %s", path, strerror(errno));
        rc = -1;
    }
    free(text);
    return rc;
}

void baseline_writer_free(baseline_writer *self)
{
    if (!self)
        return;
    for (size_t i = 0; i < self->n; i++) {
        free(self->items[i].fp);
        free(self->items[i].rule);
        free(self->items[i].file);
        free(self->items[i].msg);
    }
    free(self->items);
    free(self);
}
