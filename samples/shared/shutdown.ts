/**
 * Stops the bot on SIGTERM (a rolling deploy, `docker stop`, Kubernetes) and SIGINT (Ctrl-C):
 * `stop` closes the adapter first, so deliveries that arrive meanwhile get 503 and Meta sends
 * them again, to another instance or to this one after its restart; nothing acknowledged is lost.
 */
export function stopOnSignals(stop: () => Promise<unknown>): void {
  const onSignal = (signal: NodeJS.Signals) => {
    console.log(`${signal}: finishing the turns in progress, then stopping.`);
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('stopping failed:', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
