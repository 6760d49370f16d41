// The tether extension: starts `tether lsp` for C files through
// vscode-languageclient and hands it the `tether.*` settings (as
// initializationOptions, and again whenever they change).
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

interface TetherSettings {
  frontend: string;
  configPath: string;
  compileCommands: string;
  rules: Record<string, string>;
  debounceMs: number;
}

function settings(): TetherSettings {
  const c = vscode.workspace.getConfiguration('tether');
  return {
    frontend: c.get<string>('frontend', 'auto'),
    configPath: c.get<string>('configPath', ''),
    compileCommands: c.get<string>('compileCommands', ''),
    rules: c.get<Record<string, string>>('rules', {}),
    debounceMs: c.get<number>('debounceMs', 150),
  };
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const program = vscode.workspace.getConfiguration('tether').get<string>('path', 'tether');
  const serverOptions: ServerOptions = { command: program, args: ['lsp'] };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'c' }],
    initializationOptions: { tether: settings() },
    synchronize: {
      fileEvents: [
        vscode.workspace.createFileSystemWatcher('**/.tether.yml'),
        vscode.workspace.createFileSystemWatcher('**/compile_commands.json'),
      ],
    },
  };
  client = new LanguageClient('tether', 'tether', serverOptions, clientOptions);
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('tether') && client) {
        void client.sendNotification('workspace/didChangeConfiguration', { settings: { tether: settings() } });
      }
    }),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  if (client) {
    await client.stop();
    client = undefined;
  }
}
