/**
 * @internal The key of the sync map's method returning its `RebalanceHost`: a symbol, so it
 * never clashes with another plugin's member and stays off the public types.
 */
export const rebalanceHostKey: unique symbol = Symbol('starshard.rebalance.host');
