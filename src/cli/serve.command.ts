import type { Command } from 'commander';
import { createContext } from '../context.js';
import { buildServer } from '../http/server.js';

/**
 * `paperboy serve`: the web server (sign-up and subscriber pages, webhooks, operator console) on
 * PORT, sending its emails through the transport MAIL_TRANSPORT names. Stops cleanly on
 * SIGTERM/SIGINT: in-flight requests and sign-up emails finish, then the database closes.
 */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Run the web server: sign-up, preferences, one-click unsubscribe, webhooks, /admin')
    .option('--port <port>', 'listen on this port instead of PORT', (v) => {
      const port = Number(v);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new Error(`--port: not a port number: ${v}`);
      return port;
    })
    .option('--host <host>', 'address to listen on', '0.0.0.0')
    .action(async (options: { port?: number; host: string }) => {
      const ctx = await createContext();
      let app: Awaited<ReturnType<typeof buildServer>>;
      try {
        app = await buildServer(ctx);
        const address = await app.listen({ port: options.port ?? ctx.config.port, host: options.host });
        ctx.logger.info(
          { address, transport: ctx.config.mail.transport, publicUrl: ctx.config.publicUrl },
          'serving',
        );
        process.stderr.write(`paperboy: serving on ${address} (public URL ${ctx.config.publicUrl})\n`);
      } catch (error) {
        await ctx.close();
        throw error;
      }
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
      await app.close();
      await ctx.close();
    });
}
