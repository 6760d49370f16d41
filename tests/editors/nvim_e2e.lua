-- nvim_e2e.lua: tether in a real Neovim (headless), through the setup in
-- editor/nvim: `tether lsp` started for a leaky C file, its diagnostics,
-- the preferred quick fix applied by Neovim's own edit code, the finding
-- gone, and still gone after a save (the clang front end).
-- Environment: TETHER, TETHER_EDITOR_DIR, TETHER_FILE, TETHER_OUT.
local env = vim.env
local out = {}
local function say(fmt, ...)
  table.insert(out, string.format(fmt, ...))
end
local function finish(ok)
  vim.fn.writefile(out, env.TETHER_OUT)
  vim.cmd(ok and 'qa!' or 'cq!')
end
local function fail(fmt, ...)
  say('FAIL ' .. fmt, ...)
  finish(false)
end

local ok, err = pcall(function()
  vim.cmd('filetype on')
  vim.opt.rtp:prepend(env.TETHER_EDITOR_DIR .. '/nvim')
  require('tether').setup({ cmd = { env.TETHER, 'lsp' }, settings = { tether = { debounceMs = 50 } } })
  vim.cmd('edit ' .. vim.fn.fnameescape(env.TETHER_FILE))
  local buf = vim.api.nvim_get_current_buf()
  if not vim.wait(30000, function() return #vim.diagnostic.get(buf) > 0 end, 50) then
    return fail('no diagnostics')
  end
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    say('diag %d %s %s', d.lnum + 1, d.code, d.source)
  end
  local d = vim.diagnostic.get(buf)[1]
  local client = vim.lsp.get_client_by_id(vim.tbl_keys(vim.lsp.buf_get_clients(buf))[1])
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = { start = { line = d.lnum, character = 0 }, ['end'] = { line = d.lnum, character = 0 } },
    context = { diagnostics = {} },
  }
  local res = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, 10000)
  local fix
  for _, r in pairs(res or {}) do
    for _, a in ipairs(r.result or {}) do
      if a.isPreferred then
        fix = a
      end
    end
  end
  if not fix then
    return fail('no preferred quick fix')
  end
  say('fix %s', fix.title)
  vim.lsp.util.apply_workspace_edit(fix.edit, client.offset_encoding)
  if not vim.wait(30000, function() return #vim.diagnostic.get(buf) == 0 end, 50) then
    return fail('the finding stayed after the fix')
  end
  say('after-fix %d', #vim.diagnostic.get(buf))
  vim.cmd('write')
  vim.wait(2000, function() return false end, 50)
  say('after-save %d', #vim.diagnostic.get(buf))
  finish(true)
end)
if not ok then
  fail('error %s', tostring(err))
end
