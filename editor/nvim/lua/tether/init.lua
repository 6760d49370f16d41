-- tether's language server in Neovim's built-in LSP client (Neovim 0.7 and
-- later): `require('tether').setup()` starts `tether lsp` for C buffers,
-- one server per project root (the folder holding .tether.yml,
-- compile_commands.json or .git). Diagnostics appear as the analyzer's
-- findings; `vim.lsp.buf.code_action()` offers the fixes and "suppress on
-- this line"; `vim.lsp.buf.hover()` shows the rule's summary.
local M = {}

M.defaults = {
  cmd = { 'tether', 'lsp' },
  filetypes = { 'c' },
  root_markers = { '.tether.yml', 'compile_commands.json', 'build/compile_commands.json', '.git' },
  -- Sent as initializationOptions and workspace/didChangeConfiguration:
  -- frontend ('auto' | 'clang' | 'tree-sitter'), configPath, compileCommands,
  -- rules ({ ['spawn-no-cancel'] = 'off' }), debounceMs.
  settings = { tether = vim.empty_dict() },
  on_attach = nil,
}

local clients = {} -- root -> client id (Neovim 0.7, without vim.lsp.start)

local function root_of(path, markers)
  local dir = vim.fn.fnamemodify(path, ':p:h')
  while true do
    for _, m in ipairs(markers) do
      if vim.loop.fs_stat(dir .. '/' .. m) then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ':h')
    if parent == dir then
      return vim.fn.fnamemodify(path, ':p:h')
    end
    dir = parent
  end
end

function M.attach(bufnr, cfg)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' then
    return
  end
  local root = root_of(name, cfg.root_markers)
  local config = {
    name = 'tether',
    cmd = cfg.cmd,
    root_dir = root,
    init_options = cfg.settings,
    settings = cfg.settings,
    on_attach = cfg.on_attach,
  }
  if vim.lsp.start then
    vim.lsp.start(config, { bufnr = bufnr })
    return
  end
  local id = clients[root]
  if not id or not vim.lsp.get_client_by_id(id) then
    id = vim.lsp.start_client(config)
    clients[root] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
end

function M.setup(opts)
  local cfg = vim.tbl_deep_extend('force', M.defaults, opts or {})
  local group = vim.api.nvim_create_augroup('tether_lsp', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = cfg.filetypes,
    callback = function(args)
      M.attach(args.buf, cfg)
    end,
  })
  -- Buffers already open when setup runs.
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(b) and vim.tbl_contains(cfg.filetypes, vim.bo[b].filetype) then
      M.attach(b, cfg)
    end
  end
end

return M
