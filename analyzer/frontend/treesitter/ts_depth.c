/* ts_depth.c — how deeply a file's syntax nests (frontend.h), read with
 * tree-sitter's cursor: no recursion, so a file nested 100,000 levels deep
 * is measured without growing the stack. The front ends, libclang's parser
 * (on its own 8 MB thread) and the engine all recurse over the syntax, so
 * the driver refuses a file deeper than FRONTEND_MAX_NESTING before any of
 * them sees it. */
#include "frontend/frontend.h"
#include "ts_internal.h"

unsigned ts_tree_depth(TSNode root, unsigned limit, unsigned *line)
{
    TSTreeCursor cur = ts_tree_cursor_new(root);
    unsigned depth = 0, max = 0;
    for (;;) {
        if (depth > max) {
            max = depth;
            if (max > limit) {
                if (line)
                    *line = ts_node_start_point(ts_tree_cursor_current_node(&cur)).row + 1;
                break;
            }
        }
        if (ts_tree_cursor_goto_first_child(&cur)) {
            depth++;
            continue;
        }
        while (!ts_tree_cursor_goto_next_sibling(&cur)) {
            if (!ts_tree_cursor_goto_parent(&cur))
                goto done;
            depth--;
        }
    }
done:
    ts_tree_cursor_delete(&cur);
    return max;
}

unsigned ts_tree_depth_in(TSNode root, const TSRange *ranges, uint32_t n, unsigned limit, unsigned *line)
{
    unsigned max = 0;
    TSTreeCursor cur = ts_tree_cursor_new(root); /* (ts_node_child(root, i) walks from the first child) */
    for (bool more = ts_tree_cursor_goto_first_child(&cur); more && max <= limit;
         more = ts_tree_cursor_goto_next_sibling(&cur)) {
        TSNode c = ts_tree_cursor_current_node(&cur);
        uint32_t b = ts_node_start_byte(c), e = ts_node_end_byte(c);
        if (b > ranges[n - 1].end_byte && n == 1)
            break; /* past the one range */
        bool met = false;
        for (uint32_t r = 0; r < n && !met; r++)
            met = b <= ranges[r].end_byte && ranges[r].start_byte <= e;
        if (!met)
            continue;
        unsigned d = 1 + ts_tree_depth(c, limit > 0 ? limit - 1 : 0, line);
        if (d > max)
            max = d;
    }
    ts_tree_cursor_delete(&cur);
    return max;
}

int frontend_nesting_depth(const char *src, size_t len, unsigned limit, unsigned *line)
{
    if (len > UINT32_MAX)
        return -1;
    bool own;
    TSParser *parser = ts_thread_parser(&own);
    if (!parser)
        return -1;
    TSTree *tree = ts_parser_parse_string(parser, NULL, src, (uint32_t)len);
    if (own)
        ts_parser_delete(parser);
    if (!tree)
        return -1;
    unsigned d = ts_tree_depth(ts_tree_root_node(tree), limit, line);
    ts_tree_delete(tree);
    return (int)d;
}
