// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title A smart-contract wallet for tests and local development: its owner's key signs for it.
/// @notice Answers EIP-1271's `isValidSignature` with the magic value when `signature` is the owner's
/// over `hash`, as multisigs and smart accounts answer for their signers. It holds nothing and
/// executes nothing: it exists so that sign-in with a contract wallet can be tried on a local chain.
contract TestSmartWallet is IERC1271 {
    address public immutable owner;

    constructor(address owner_) {
        owner = owner_;
    }

    function isValidSignature(bytes32 hash, bytes memory signature) external view returns (bytes4) {
        (address signer, ECDSA.RecoverError recovered, ) = ECDSA.tryRecover(hash, signature);
        return recovered == ECDSA.RecoverError.NoError && signer == owner ? IERC1271.isValidSignature.selector : bytes4(0xffffffff);
    }
}
