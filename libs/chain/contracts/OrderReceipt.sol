// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";

/// @title A receipt for a paid order, as an NFT in the buyer's wallet.
/// @notice The shop's minter mints one per order, the token id chosen by the shop; `tokenURI` is the
/// base URI followed by the token id in decimal. The admin grants and revokes the minter role.
contract OrderReceipt is ERC721, AccessControl {
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");

    string private _baseTokenURI;

    constructor(string memory name_, string memory symbol_, string memory baseURI_, address admin)
        ERC721(name_, symbol_)
    {
        _baseTokenURI = baseURI_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @notice Mints receipt `tokenId` to `to`; reverts if that receipt exists already, so a retried mint
    /// cannot make a second one.
    /// @dev `_mint`, not `_safeMint`: `_safeMint` calls `onERC721Received` on a contract recipient and
    /// reverts when it is missing or refuses. Buyers pay from contract wallets too (multisigs, smart
    /// accounts), and some of those do not implement the hook: the receipt of a paid order must not fail
    /// for that, nor run the recipient's code (reentrancy, gas it burns) inside the shop's transaction.
    function mint(address to, uint256 tokenId) external onlyRole(MINTER_ROLE) {
        _mint(to, tokenId);
    }

    function _baseURI() internal view override returns (string memory) {
        return _baseTokenURI;
    }

    function supportsInterface(bytes4 interfaceId) public view override(ERC721, AccessControl) returns (bool) {
        return super.supportsInterface(interfaceId);
    }
}
